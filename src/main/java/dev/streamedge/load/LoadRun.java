package dev.streamedge.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One bounded load run: publish, ramp the players up, warm up, measure a window, close everything.
 * The calling thread only paces and waits; all I/O is on the event loops.
 */
final class LoadRun {

  /**
   * @param httpFlvUrl {@code http://host:port/app/name.flv}, when there are HTTP-FLV players
   * @param serverPid the server's process, to read its CPU and memory from /proc; 0 for none
   */
  record Options(StreamTarget target, int rtmpPlayers, int httpFlvPlayers, URI httpFlvUrl, Path flvFile,
      double rampPerSecond, Duration prewarm, Duration warmup, Duration duration, long serverPid, int eventLoops) {
  }

  /** Players of the prewarm phase: enough for both JITs to compile the paths every frame takes. */
  private static final int PREWARM_PLAYERS = 50;

  private static final long TIMEOUT_SECONDS = 15;

  private final Options options;
  private final LoadMeter meter = new LoadMeter();

  LoadRun(Options options) {
    this.options = options;
  }

  LoadReport run() throws Exception {
    List<FlvReader.Tag> tags = FlvReader.read(options.flvFile());
    ProcessTree server = options.serverPid() > 0 ? new ProcessTree(options.serverPid()) : null;
    Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(options.eventLoops())).build();
    List<LoadPlayer> players = new ArrayList<>();
    Publisher publisher = new Publisher(vertx, tags);
    try {
      EventLoopContexts loops = await(EventLoopContexts.deploy(vertx, options.eventLoops()));
      await(publisher.start(loops.next(), options.target()));
      prewarm(vertx, loops);
      ProcessTree.Sample serverBefore = server == null ? null : server.sample();
      ramp(vertx, loops, players);
      sleep(options.warmup().toNanos());

      long bytesStart = bytes(players);
      long cpuStart = ownCpuNanos();
      long waitStart = ProcessTree.ownWaitNanos();
      long machineStart = ProcessTree.machineBusyNanos();
      ProcessTree.Sample serverStart = server == null ? null : server.sample();
      long publishedStart = publisher.framesSent();
      long windowStart = System.nanoTime();
      meter.measuring(true);
      sleep(options.duration().toNanos());
      meter.measuring(false);
      long windowNanos = System.nanoTime() - windowStart;
      long published = publisher.framesSent() - publishedStart;
      long bytes = bytes(players) - bytesStart;
      long cpu = ownCpuNanos() - cpuStart;
      long wait = ProcessTree.ownWaitNanos() - waitStart;
      long machineBusy = ProcessTree.machineBusyNanos() - machineStart;
      ProcessTree.Sample serverEnd = server == null ? null : server.sample();

      LoadReport.Players playerCounts = count(players);
      double seconds = windowNanos / 1e9;
      double mbit = bytes * 8 / 1e6 / seconds;
      return new LoadReport(options.target().url(),
          new LoadReport.Settings(options.rtmpPlayers(), options.httpFlvPlayers(),
              options.prewarm().toMillis() / 1000.0, options.rampPerSecond(),
              options.warmup().toMillis() / 1000.0, round(seconds), options.flvFile().toString()),
          playerCounts,
          LoadReport.Distribution.of(meter.connect),
          LoadReport.Distribution.of(meter.firstFrame),
          LoadReport.Distribution.of(meter.latency),
          new LoadReport.Frames(published, meter.framesInWindow.sum(), meter.missing.sum(), meter.reordered.sum(),
              round(publisher.lateNanosMax() / 1e6), publisher.closedReason()),
          new LoadReport.Traffic(bytes, round(mbit), round(mbit / Math.max(1, playerCounts.playing()))),
          new LoadReport.Cpu(round(cpu / 1e9), round(cpu / 1e9 / seconds), round(wait / 1e9)),
          server == null ? null : serverReport(server.pid(), serverBefore, serverStart, serverEnd, bytes, seconds,
              playerCounts.playing()),
          new LoadReport.Machine(Runtime.getRuntime().availableProcessors(), round(machineBusy / 1e9 / seconds)));
    } finally {
      List<Future<Void>> closing = new ArrayList<>();
      players.forEach(player -> closing.add(player.close()));
      closing.add(publisher.stop());
      try {
        await(Future.join(closing));
      } catch (Exception e) {
        // Closing is best effort: the report is made, and the process ends anyway.
      }
      await(vertx.close());
    }
  }

  /**
   * Opens a few players for a while and closes them, measuring nothing: a JVM server and this JVM
   * both start interpreted, and a cold start is not what the run is about.
   */
  private void prewarm(Vertx vertx, EventLoopContexts loops) throws Exception {
    if (options.prewarm().isZero()) {
      return;
    }
    int total = Math.min(PREWARM_PLAYERS, options.rtmpPlayers() + options.httpFlvPlayers());
    List<LoadPlayer> players = new ArrayList<>();
    LoadMeter unused = new LoadMeter();
    for (int i = 0; i < total; i++) {
      players.add(open(vertx, loops.next(), i, total, unused));
    }
    sleep(options.prewarm().toNanos());
    List<Future<Void>> closing = new ArrayList<>();
    players.forEach(player -> closing.add(player.close()));
    await(Future.join(closing));
  }

  /** Opens the players at the given rate; RTMP and HTTP-FLV players are interleaved evenly. */
  private void ramp(Vertx vertx, EventLoopContexts loops, List<LoadPlayer> players) {
    int total = options.rtmpPlayers() + options.httpFlvPlayers();
    long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      sleep(start + (long) (i * 1e9 / options.rampPerSecond()) - System.nanoTime());
      players.add(open(vertx, loops.next(), i, total, meter));
    }
  }

  private LoadPlayer open(Vertx vertx, Context context, int i, int total, LoadMeter into) {
    boolean http = (long) (i + 1) * options.httpFlvPlayers() / total > (long) i * options.httpFlvPlayers() / total;
    URI flv = options.httpFlvUrl();
    return http
        ? HttpFlvLoadPlayer.start(vertx, context, flv.getHost(), flv.getPort() < 0 ? 80 : flv.getPort(),
            flv.getRawPath(), into)
        : RtmpLoadPlayer.start(vertx, context, options.target(), into);
  }

  private LoadReport.Players count(List<LoadPlayer> players) {
    int playing = 0;
    int ok = 0;
    int failed = 0;
    int disconnected = 0;
    Set<String> reasons = new LinkedHashSet<>();
    for (LoadPlayer player : players) {
      PlayerTrack track = player.track();
      switch (track.state()) {
        case PLAYING -> {
          playing++;
          ok += track.framesInWindow() > 0 ? 1 : 0;
        }
        case FAILED -> failed++;
        case DISCONNECTED -> disconnected++;
        default -> {
        }
      }
      if (!track.reason().isEmpty() && reasons.size() < 5) {
        reasons.add(track.state() + ": " + track.reason());
      }
    }
    return new LoadReport.Players(players.size(), playing, ok, failed, disconnected, List.copyOf(reasons));
  }

  private static LoadReport.Server serverReport(long pid, ProcessTree.Sample before, ProcessTree.Sample start,
      ProcessTree.Sample end, long bytes, double seconds, int playing) {
    double cpu = (end.cpuNanos() - start.cpuNanos()) / 1e9;
    return new LoadReport.Server(pid, round(cpu), round(cpu / seconds), bytes == 0 ? 0 : round(cpu / (bytes / 1e9)),
        before.rssBytes(), end.rssBytes(),
        playing == 0 ? 0 : round((end.rssBytes() - before.rssBytes()) / 1024.0 / playing),
        round((end.waitNanos() - start.waitNanos()) / 1e9));
  }

  private static long bytes(List<LoadPlayer> players) {
    return players.stream().mapToLong(LoadPlayer::bytesReceived).sum();
  }

  /** This process's CPU time, all threads (the event loops, the GC, the JIT). */
  private static long ownCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }

  private static void sleep(long nanos) {
    long end = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = end - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
