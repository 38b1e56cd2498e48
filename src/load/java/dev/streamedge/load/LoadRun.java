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
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One bounded load run: publish, ramp the players up, warm up, measure a window, close everything.
 * The calling thread only paces and waits; all I/O is on the event loops.
 */
final class LoadRun {

  /**
   * @param target where the publisher publishes
   * @param playTarget what the RTMP players play: the target, or the same stream on another node
   * @param httpFlvUrl {@code http://host:port/app/name.flv}, when there are HTTP-FLV players
   * @param hlsUrl {@code http://host:port/hls/app/name.m3u8}, when there are HLS players
   * @param serverPid the server's process, to read its CPU and memory from /proc; 0 for none
   * @param joinsPerSecond players that join after the window, each only until it has its first frame
   */
  record Options(StreamTarget target, StreamTarget playTarget, int rtmpPlayers, int httpFlvPlayers, URI httpFlvUrl,
      int hlsPlayers, URI hlsUrl, Path flvFile, double rampPerSecond, Duration prewarm, Duration warmup,
      Duration duration, long serverPid, int eventLoops, double joinsPerSecond) {

    int players() {
      return rtmpPlayers + httpFlvPlayers + hlsPlayers;
    }

    int players(PlayerProtocol protocol) {
      return switch (protocol) {
        case RTMP -> rtmpPlayers;
        case HTTP_FLV -> httpFlvPlayers;
        case HLS -> hlsPlayers;
      };
    }
  }

  /** Players of the prewarm phase: enough for both JITs to compile the paths every frame takes. */
  private static final int PREWARM_PLAYERS = 50;

  private static final long TIMEOUT_SECONDS = 15;

  /**
   * How long a player that joined in the window stays after its first frame, and at most in all: long
   * enough to take the start packets in, and longer than a GOP, which a server without a GOP cache makes
   * a joiner wait for.
   */
  private static final long JOINER_AFTER_FIRST_FRAME_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  private static final long JOINER_MAX_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final Options options;
  private final Map<PlayerProtocol, LoadMeter> meters = new EnumMap<>(PlayerProtocol.class);
  private final List<PlayerProtocol> order;
  /** The players that join after the window: how fast a player starts on a busy, warm server. */
  private final LoadMeter joinMeter = new LoadMeter();

  LoadRun(Options options) {
    this.options = options;
    for (PlayerProtocol protocol : PlayerProtocol.values()) {
      if (options.players(protocol) > 0) {
        meters.put(protocol, new LoadMeter());
      }
    }
    this.order = order(options);
  }

  LoadReport run() throws Exception {
    List<FlvReader.Tag> tags = FlvReader.read(options.flvFile());
    ProcessTree server = options.serverPid() > 0 ? new ProcessTree(options.serverPid()) : null;
    Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(options.eventLoops())).build();
    Map<PlayerProtocol, List<LoadPlayer>> players = new EnumMap<>(PlayerProtocol.class);
    meters.keySet().forEach(protocol -> players.put(protocol, new ArrayList<>()));
    Publisher publisher = new Publisher(vertx, tags);
    try {
      EventLoopContexts loops = await(EventLoopContexts.deploy(vertx, options.eventLoops()));
      await(publisher.start(loops.next(), options.target()));
      prewarm(vertx, loops);
      ProcessTree.Sample serverBefore = server == null ? null : server.sample();
      ramp(vertx, loops, players);
      sleep(options.warmup().toNanos());

      Optional<TcpSegments.Count> segmentsStart = rtmpSegments();
      Map<PlayerProtocol, Long> bytesStart = bytes(players);
      long cpuStart = ownCpuNanos();
      long waitStart = ProcessTree.ownWaitNanos();
      long machineStart = ProcessTree.machineBusyNanos();
      ProcessTree.Sample serverStart = server == null ? null : server.sample();
      long publishedStart = publisher.framesSent();
      long windowStart = System.nanoTime();
      meters.values().forEach(meter -> meter.measuring(true));
      sleep(options.duration().toNanos());
      meters.values().forEach(meter -> meter.measuring(false));
      long windowNanos = System.nanoTime() - windowStart;
      long published = publisher.framesSent() - publishedStart;
      Map<PlayerProtocol, Long> bytesEnd = bytes(players);
      Map<PlayerProtocol, Long> bytesByProtocol = new EnumMap<>(PlayerProtocol.class);
      bytesEnd.forEach((protocol, end) -> bytesByProtocol.put(protocol, end - bytesStart.get(protocol)));
      long bytes = bytesByProtocol.values().stream().mapToLong(Long::longValue).sum();
      long cpu = ownCpuNanos() - cpuStart;
      long wait = ProcessTree.ownWaitNanos() - waitStart;
      long machineBusy = ProcessTree.machineBusyNanos() - machineStart;
      ProcessTree.Sample serverEnd = server == null ? null : server.sample();
      Optional<TcpSegments.Count> segments = segmentsStart.flatMap(start -> rtmpSegments().map(end -> end.minus(start)));
      Joins joins = joinAfterWindow(vertx, loops);

      double seconds = windowNanos / 1e9;
      Map<String, LoadReport.ProtocolReport> byProtocol = new LinkedHashMap<>();
      players.forEach((protocol, list) -> byProtocol.put(protocol.label,
          protocolReport(count(list), meters.get(protocol), bytesByProtocol.get(protocol), seconds)));
      LoadReport.Players playerCounts = count(players.values().stream().flatMap(List::stream).toList());
      LoadMeter total = LoadMeter.merge(meters.values());
      LoadReport.ProtocolReport all = protocolReport(playerCounts, total, bytes, seconds);
      return new LoadReport(options.target().text(),
          new LoadReport.Settings(options.playTarget().text(), options.rtmpPlayers(), options.httpFlvPlayers(),
              options.hlsPlayers(), options.prewarm().toMillis() / 1000.0, options.rampPerSecond(),
              options.warmup().toMillis() / 1000.0, round(seconds), options.flvFile().toString()),
          playerCounts, all.connectMs(), all.firstFrameMs(), all.latencyMs(),
          LoadReport.Distribution.of(total.measured.keyframeLatency),
          new LoadReport.Frames(published, all.framesReceived(), all.missing(), all.reordered(), all.publisherRestarts(),
              round(publisher.lateNanosMax() / 1e6), publisher.closedReason()),
          all.traffic(),
          new LoadReport.Cpu(round(cpu / 1e9), round(cpu / 1e9 / seconds), round(wait / 1e9)),
          joins.report(options.joinsPerSecond(), joinMeter),
          server == null ? null : serverReport(server.pid(), serverBefore, serverStart, serverEnd, bytes, seconds,
              playerCounts.playing(), segments, players.containsKey(PlayerProtocol.RTMP)
                  ? count(players.get(PlayerProtocol.RTMP)).playing() : 0),
          new LoadReport.Machine(Runtime.getRuntime().availableProcessors(), round(machineBusy / 1e9 / seconds)),
          byProtocol);
    } finally {
      List<Future<Void>> closing = new ArrayList<>();
      players.values().forEach(list -> list.forEach(player -> closing.add(player.close())));
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
    List<LoadPlayer> players = new ArrayList<>();
    Map<PlayerProtocol, LoadMeter> unused = new EnumMap<>(PlayerProtocol.class);
    meters.keySet().forEach(protocol -> unused.put(protocol, new LoadMeter()));
    for (PlayerProtocol protocol : order.subList(0, Math.min(PREWARM_PLAYERS, order.size()))) {
      players.add(open(vertx, loops.next(), protocol, unused.get(protocol)));
    }
    sleep(options.prewarm().toNanos());
    List<Future<Void>> closing = new ArrayList<>();
    players.forEach(player -> closing.add(player.close()));
    await(Future.join(closing));
  }

  /** What the players that joined after the window did. */
  private static final class Joins {
    int opened;
    int started;

    LoadReport.Joins report(double perSecond, LoadMeter meter) {
      return perSecond == 0 ? null : new LoadReport.Joins(perSecond, opened, started,
          LoadReport.Distribution.of(meter.connect), LoadReport.Distribution.of(meter.firstFrame));
    }
  }

  /**
   * After the window, for as long again, opens players at {@link Options#joinsPerSecond} (in
   * {@link #order}, cycling) and closes each once it has had its first frame a while, or given up on it.
   * They measure the first frame of players joining a warm server busy with all the others, which the
   * ramp, run in the JITs' first minute, only partly does; after the window, so that their connection
   * set-up and the code it warms up are not in the window's CPU figures.
   */
  private Joins joinAfterWindow(Vertx vertx, EventLoopContexts loops) {
    Joins joins = new Joins();
    if (options.joinsPerSecond() == 0) {
      return joins;
    }
    long start = System.nanoTime();
    long end = start + options.duration().toNanos();
    List<LoadPlayer> open = new ArrayList<>();
    List<Long> openedAt = new ArrayList<>();
    for (int i = 0; ; i++) {
      long due = start + (long) (i * 1e9 / options.joinsPerSecond());
      if (due >= end) {
        break;
      }
      sleep(due - System.nanoTime());
      open.add(open(vertx, loops.next(), order.get(i % order.size()), joinMeter));
      openedAt.add(System.nanoTime());
      joins.opened++;
      closeJoiners(open, openedAt, joins);
    }
    // The last joiners get their time too: cutting them short would drop the slowest first frames.
    while (!open.isEmpty()) {
      sleep(TimeUnit.MILLISECONDS.toNanos(50));
      closeJoiners(open, openedAt, joins);
    }
    return joins;
  }

  /** Closes the joiners that are done: a while after their first frame, or after the most a join may take. */
  private static void closeJoiners(List<LoadPlayer> open, List<Long> openedAt, Joins joins) {
    long now = System.nanoTime();
    for (int i = open.size() - 1; i >= 0; i--) {
      LoadPlayer player = open.get(i);
      long firstFrame = player.track().firstFrameNanos();
      boolean done = firstFrame != 0 ? now - firstFrame >= JOINER_AFTER_FIRST_FRAME_NANOS
          : now - openedAt.get(i) >= JOINER_MAX_NANOS;
      if (done) {
        joins.started += firstFrame != 0 ? 1 : 0;
        player.close();
        open.remove(i);
        openedAt.remove(i);
      }
    }
  }

  /** Opens the players at the given rate, in {@link #order}. */
  private void ramp(Vertx vertx, EventLoopContexts loops, Map<PlayerProtocol, List<LoadPlayer>> players) {
    long start = System.nanoTime();
    for (int i = 0; i < order.size(); i++) {
      sleep(start + (long) (i * 1e9 / options.rampPerSecond()) - System.nanoTime());
      PlayerProtocol protocol = order.get(i);
      players.get(protocol).add(open(vertx, loops.next(), protocol, meters.get(protocol)));
    }
  }

  /**
   * The protocols of the players in the order they join, interleaved evenly: each next player is of the
   * protocol furthest behind its share.
   */
  static List<PlayerProtocol> order(Options options) {
    int total = options.players();
    Map<PlayerProtocol, Integer> opened = new EnumMap<>(PlayerProtocol.class);
    List<PlayerProtocol> order = new ArrayList<>(total);
    for (int i = 0; i < total; i++) {
      PlayerProtocol behind = null;
      double most = Double.NEGATIVE_INFINITY;
      for (PlayerProtocol protocol : PlayerProtocol.values()) {
        int count = options.players(protocol);
        double deficit = (double) (i + 1) * count / total - opened.getOrDefault(protocol, 0);
        if (count > opened.getOrDefault(protocol, 0) && deficit > most) {
          most = deficit;
          behind = protocol;
        }
      }
      opened.merge(behind, 1, Integer::sum);
      order.add(behind);
    }
    return order;
  }

  private LoadPlayer open(Vertx vertx, Context context, PlayerProtocol protocol, LoadMeter into) {
    return switch (protocol) {
      case RTMP -> RtmpLoadPlayer.start(vertx, context, options.playTarget(), into);
      case HTTP_FLV -> HttpFlvLoadPlayer.start(vertx, context, options.httpFlvUrl(), into);
      case HLS -> HlsLoadPlayer.start(vertx, context, options.hlsUrl(), into);
    };
  }

  private static LoadReport.ProtocolReport protocolReport(LoadReport.Players players, LoadMeter meter, long bytes,
      double seconds) {
    double mbit = bytes * 8 / 1e6 / seconds;
    return new LoadReport.ProtocolReport(players, LoadReport.Distribution.of(meter.connect),
        LoadReport.Distribution.of(meter.firstFrame), LoadReport.Distribution.of(meter.measured.latency),
        meter.measured.frames.sum(), meter.missing.sum(), meter.reordered.sum(), meter.publisherRestarts.sum(),
        new LoadReport.Traffic(bytes, round(mbit), round(mbit / Math.max(1, players.playing()))));
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
      ProcessTree.Sample end, long bytes, double seconds, int playing, Optional<TcpSegments.Count> rtmpSegments,
      int rtmpPlaying) {
    double cpu = (end.cpuNanos() - start.cpuNanos()) / 1e9;
    double system = (end.systemNanos() - start.systemNanos()) / 1e9;
    Optional<TcpSegments.Count> segments = rtmpSegments.filter(s -> rtmpPlaying > 0 && s.segments() > 0);
    return new LoadReport.Server(pid, round(cpu), round(system), round(cpu / seconds),
        bytes == 0 ? 0 : round(cpu / (bytes / 1e9)), before.rssBytes(), end.rssBytes(),
        playing == 0 ? 0 : round((end.rssBytes() - before.rssBytes()) / 1024.0 / playing),
        round((end.waitNanos() - start.waitNanos()) / 1e9),
        // A compiler thread that HotSpot ends in the window takes its time with it: at least 0.
        round(Math.max(0, end.compilerNanos() - start.compilerNanos()) / 1e9),
        segments.map(TcpSegments.Count::segments).orElse(null),
        segments.map(s -> round(s.segments() / (double) rtmpPlaying / seconds)).orElse(null),
        segments.map(s -> round(s.bytes() / (double) s.segments())).orElse(null));
  }

  /** What the RTMP players' connections have received, when there are RTMP players. */
  private Optional<TcpSegments.Count> rtmpSegments() {
    return options.rtmpPlayers() == 0 ? Optional.empty() : TcpSegments.toPort(options.playTarget().port());
  }

  private static Map<PlayerProtocol, Long> bytes(Map<PlayerProtocol, List<LoadPlayer>> players) {
    Map<PlayerProtocol, Long> bytes = new EnumMap<>(PlayerProtocol.class);
    players.forEach((protocol, list) -> bytes.put(protocol,
        list.stream().mapToLong(LoadPlayer::bytesReceived).sum()));
    return bytes;
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
