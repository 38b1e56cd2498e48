package dev.streamedge.exec;

import dev.streamedge.auth.AuthAction;
import dev.streamedge.auth.AuthRequest;
import dev.streamedge.auth.SessionListener;
import dev.streamedge.config.ExecConfig;
import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.metrics.ExecMeters;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.Upstream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@code exec.*} commands of the apps in {@code exec.apps} on their streams' events, as
 * nginx-rtmp's exec directives: {@code exec.push} while each publish lasts ({@link ExecRun}),
 * {@code exec.pull} while a stream nobody publishes here has viewers ({@link ExecPulls}),
 * {@code exec.static} while the node does, the others once per event. Every process counts against
 * {@code exec.max-processes}; an event beyond it runs nothing and says so in the log. A one-shot command
 * is ended after {@code exec.event-timeout}. Ended means SIGTERM to the process and its descendants,
 * SIGKILL after {@code exec.kill-timeout} (or SIGKILL at once with {@code exec.kill-signal=kill}). The
 * node's own publishes (the transcoder's renditions) run nothing. All state lives on one event-loop
 * context; forks happen on {@link ExecSpawner}'s thread, signals on worker threads.
 */
public final class ExecService implements SessionListener {

  static final Logger LOG = LoggerFactory.getLogger(ExecService.class);
  private static final RateLimitedLog FAILED_LOG = RateLimitedLog.of(LOG, "exec failed");

  /** A session the service ran commands for: what its done event and its end need. */
  private record Live(boolean publish, String label, Map<String, String> values, List<ExecRun> pushes) {
  }

  private final Vertx vertx;
  private final Context context;
  private final ExecConfig config;
  private final Predicate<StreamKey> internal;
  private final ExecMeters meters;
  private final Map<ExecEvent, List<ExecCommand>> commands = new EnumMap<>(ExecEvent.class);
  private final Map<AuthRequest, Live> live = new IdentityHashMap<>();
  private final ExecPulls pulls;
  private final ExecSpawner spawner;
  /** The runs of exec.static, from the node's start. */
  private final List<ExecRun> statics = new ArrayList<>();
  /** Processes started and not yet exited. */
  private final Set<ExecProcess> running = new HashSet<>();
  /** Running processes sent SIGTERM, whose SIGKILL timer is set: ending one again does nothing more. */
  private final Set<ExecProcess> ending = new HashSet<>();
  /** Processes being forked, counted against the bound with the running ones. */
  private int forking;
  /** Whether any app runs any command: else the sessions' events cost nothing. */
  private final boolean active;
  private boolean closed;
  private volatile int processes;
  /** What {@link #states()} returns: made again at each start and exit, read from any thread. */
  private volatile List<ExecState> states = List.of();

  /**
   * @param internal the node's own publishes (a transcoder's renditions), which run no command
   * @param live whether a stream is published on this node now; any thread
   */
  public ExecService(Vertx vertx, ExecConfig config, Predicate<StreamKey> internal, Predicate<StreamKey> live,
      ExecMeters meters) {
    this.vertx = vertx;
    this.context = ((VertxInternal) vertx).createEventLoopContext();
    this.config = config;
    this.internal = internal;
    this.meters = meters;
    for (ExecEvent event : ExecEvent.values()) {
      commands.put(event, config.commands(event));
    }
    this.active = config.enabled();
    this.pulls = new ExecPulls(this, commands.get(ExecEvent.PULL), live);
    this.spawner = new ExecSpawner(config.killsAtOnce());
    meters.processes(() -> processes);
  }

  @Override
  public void started(AuthRequest session, StreamKey stream) {
    if (!active || !config.runs(stream.app()) || internal.test(stream)) {
      return;
    }
    boolean publish = session.action() == AuthAction.PUBLISH;
    Map<String, String> values = values(session, stream);
    String label = stream.toString();
    context.runOnContext(v -> {
      if (closed) {
        return;
      }
      List<ExecRun> pushes = new ArrayList<>();
      if (publish) {
        once(ExecEvent.PUBLISH, values, label);
        for (ExecCommand command : commands.get(ExecEvent.PUSH)) {
          ExecRun run = new ExecRun(this, command, values, new ExecJob(ExecEvent.PUSH, label));
          pushes.add(run);
          run.start();
        }
      } else {
        once(ExecEvent.PLAY, values, label);
      }
      // Kept only when its end has something to do, so that sessions of an app with no done command and
      // no push cost no memory while they last.
      if (!pushes.isEmpty() || !commands.get(publish ? ExecEvent.PUBLISH_DONE : ExecEvent.PLAY_DONE).isEmpty()) {
        live.put(session, new Live(publish, label, values, pushes));
      }
    });
  }

  @Override
  public void ended(AuthRequest session) {
    if (!active) {
      return;
    }
    context.runOnContext(v -> {
      Live ended = live.remove(session);
      if (ended == null) {
        return;
      }
      ended.pushes().forEach(ExecRun::stop);
      once(ended.publish() ? ExecEvent.PUBLISH_DONE : ExecEvent.PLAY_DONE, ended.values(), ended.label());
    });
  }

  /** The {@code exec.pull} commands, as an upstream of the registry's. */
  public Upstream pulls() {
    return pulls;
  }

  /** Starts the {@code exec.static} commands: once, when the node is listening. Any thread. */
  public void startStatic() {
    context.runOnContext(v -> {
      if (closed) {
        return;
      }
      for (ExecCommand command : commands.get(ExecEvent.STATIC)) {
        ExecRun run = new ExecRun(this, command, Map.of(), new ExecJob(ExecEvent.STATIC, ""));
        statics.add(run);
        run.start();
      }
    });
  }

  /** A recording of {@code stream} was completed at {@code path}: runs {@code exec.record-done}. Any thread. */
  public void recordDone(StreamKey stream, Path path) {
    if (!config.runs(stream.app()) || commands.get(ExecEvent.RECORD_DONE).isEmpty()) {
      return;
    }
    String full = path.toAbsolutePath().toString();
    Path file = path.getFileName();
    String filename = file == null ? "" : file.toString();
    int dot = filename.lastIndexOf('.');
    Path parent = path.toAbsolutePath().getParent();
    Map<String, String> values = Map.of("app", stream.app(), "name", stream.name(), "path", full,
        "filename", filename, "basename", dot > 0 ? filename.substring(0, dot) : filename,
        "dirname", parent == null ? "" : parent.toString(), "recorder", "");
    context.runOnContext(v -> once(ExecEvent.RECORD_DONE, values, stream.toString()));
  }

  /** The processes running now, by stream, event and pid. Any thread. */
  public List<ExecState> states() {
    return states;
  }

  /** Processes running or being started now. Any thread. */
  public int processes() {
    return processes;
  }

  /**
   * The node closes: no event runs anything from now on, and every process is ended (SIGTERM, SIGKILL
   * after {@code exec.kill-timeout}). Completes when all have exited, or after the kill timeout and one
   * more second, whichever is first. Any thread.
   */
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      closed = true;
      statics.forEach(ExecRun::stop);
      pulls.stopAll();
      live.values().forEach(session -> session.pushes().forEach(ExecRun::stop));
      live.clear();
      List<Future<?>> exits = new ArrayList<>();
      for (ExecProcess process : new ArrayList<>(running)) {
        exits.add(Future.fromCompletionStage(process.onExit(), context));
        end(process, config.killsAtOnce());
      }
      long limit = config.killTimeout().toMillis() + 1000;
      long timer = vertx.setTimer(limit, id -> done.tryComplete());
      Future.join(exits).onComplete(all -> {
        vertx.cancelTimer(timer);
        done.tryComplete();
      });
      // After the exits: the spawning thread's end is what the parent-death signal hears.
      done.future().onComplete(all -> spawner.close());
    });
    return done.future();
  }

  private void once(ExecEvent event, Map<String, String> values, String stream) {
    ExecJob job = new ExecJob(event, stream);
    String label = job.label();
    for (ExecCommand command : commands.get(event)) {
      long[] deadline = {-1};
      launch(command, values, job, started -> deadline[0] = timer(config.eventTimeout().toMillis(), () -> {
        if (running.contains(started)) {
          meters.timedOut();
          FAILED_LOG.warn("exec {} pid={}: {} still running after {} ms (exec.event-timeout): ended", label,
              started.pid(), command.program(), config.eventTimeout().toMillis());
          end(started, false);
        }
      }), exited -> cancel(deadline[0]));
    }
  }

  /**
   * Starts {@code command} unless {@code exec.max-processes} are running: false then, with a log line.
   * {@code started} hears of the process, {@code exited} of its end (null when it could not be started);
   * both on this context.
   */
  boolean launch(ExecCommand command, Map<String, String> values, ExecJob job, Consumer<ExecProcess> started,
      Consumer<ExecProcess> exited) {
    String label = job.label();
    if (closed) {
      return false;
    }
    if (forking + running.size() >= config.maxProcesses()) {
      meters.failed();
      FAILED_LOG.warn("exec {}: {} not started: {} processes running (exec.max-processes)", label, command.program(),
          config.maxProcesses());
      return false;
    }
    forking++;
    count();
    Promise<ExecProcess> forked = Promise.promise();
    spawner.fork(() -> ExecProcess.start(command, values, job, spawner.prefix()), forked);
    forked.future().onComplete(done -> context.runOnContext(back -> {
      forking--;
      if (done.failed()) {
        count();
        meters.failed();
        FAILED_LOG.warn("exec {}: {} could not be started: {}", label, command.program(), done.cause().toString());
        exited.accept(null);
        return;
      }
      ExecProcess process = done.result();
      running.add(process);
      count();
      meters.started();
      LOG.info("exec {}: {} started, pid={}", label, command.program(), process.pid());
      started.accept(process);
      if (closed) {
        // Forked while the node closed: close() did not see it.
        end(process, config.killsAtOnce());
      }
      process.onExit().whenComplete((p, e) -> context.runOnContext(v -> {
        running.remove(process);
        ending.remove(process);
        count();
        LOG.info("exec {} pid={}: exited with {}", label, process.pid(), process.exitValue());
        exited.accept(process);
      }));
    }));
    return true;
  }

  /** SIGTERM (SIGKILL after exec.kill-timeout) or, {@code atOnce}, SIGKILL, to the process and its children. */
  void end(ExecProcess process, boolean atOnce) {
    if (!atOnce && !ending.add(process)) {
      return;
    }
    vertx.executeBlocking(() -> {
      process.signal(atOnce);
      return null;
    }, false);
    if (!atOnce) {
      timer(config.killTimeout().toMillis(), () -> {
        if (running.contains(process)) {
          LOG.warn("exec pid={} still running {} ms after SIGTERM (exec.kill-timeout): SIGKILL", process.pid(),
              config.killTimeout().toMillis());
          end(process, true);
        }
      });
    }
  }

  Context context() {
    return context;
  }

  long timer(long millis, Runnable action) {
    return vertx.setTimer(millis, id -> context.runOnContext(v -> action.run()));
  }

  void cancel(long timer) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  boolean closed() {
    return closed;
  }

  ExecConfig config() {
    return config;
  }

  ExecMeters meters() {
    return meters;
  }

  private void count() {
    processes = forking + running.size();
    states = running.stream().map(ExecProcess::state)
        .sorted(Comparator.comparing(ExecState::stream).thenComparing(ExecState::event)
            .thenComparingLong(ExecState::pid))
        .toList();
  }

  private static Map<String, String> values(AuthRequest session, StreamKey stream) {
    Map<String, String> values = new HashMap<>();
    values.put("app", stream.app());
    values.put("name", stream.name());
    values.put("args", session.query());
    values.put("addr", session.addr());
    values.put("proto", session.protocol());
    values.put("tcurl", session.tcUrl());
    for (Map.Entry<String, String> field : session.session()) {
      if (field.getKey().equals("flashver") || field.getKey().equals("swfurl") || field.getKey().equals("pageurl")) {
        values.put(field.getKey(), field.getValue());
      }
    }
    return Map.copyOf(values);
  }
}
