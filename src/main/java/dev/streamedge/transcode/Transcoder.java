package dev.streamedge.transcode;

import dev.streamedge.flv.FlvTag;
import dev.streamedge.flv.FlvVideoPacket;
import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.stream.MetaCache;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamSubscriber;
import dev.streamedge.stream.Subscription;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.LoggerFactory;

/**
 * The transcoder of one stream: a subscriber of the source that writes it as FLV to an
 * {@link FfmpegProcess}, from the stream's metadata, sequence headers and current GOP on, so that ffmpeg
 * decodes from its first frame. It runs while the source is published here: an ffmpeg that exits is
 * started again after a backoff from {@code transcode.restart-min} to {@code -max}; at unpublish its
 * input is closed, and an ffmpeg still running {@link #TERM_AFTER_MILLIS} later is sent SIGTERM, then
 * SIGKILL, so it is gone within 2 s. Lives on its own event-loop context; the API's fields are volatile.
 */
final class Transcoder implements StreamSubscriber {

  enum State { STARTING, RUNNING, WAITING, STOPPING, STOPPED }

  static final long TERM_AFTER_MILLIS = 1000;
  static final long KILL_AFTER_MILLIS = 1500;
  static final int KEYFRAMES_KEPT = 16;
  private static final RateLimitedLog LOG = RateLimitedLog.of(LoggerFactory.getLogger(Transcoder.class), "transcode");

  private final Vertx vertx;
  private final Context context;
  private final StreamKey key;
  private final TranscodeService service;
  /** The running ffmpeg's token and the renditions published under it; a new one at each start. */
  private volatile Admission admission = new Admission("", Set.of());
  private final MetaCache headers = new MetaCache();
  /** The current GOP, from its keyframe: what a (re)started ffmpeg begins with. Bounded by max-queued. */
  private final List<MediaPacket> gop = new ArrayList<>();
  private final VariantMeter meter = new VariantMeter();
  /** When the source's last keyframes arrived, by timestamp: what the renditions' latency is measured against. */
  private final long[] keyTimestamps = new long[KEYFRAMES_KEPT];
  private final long[] keyNanos = new long[KEYFRAMES_KEPT];
  private int keyframes;
  private long gopBytes;
  private Subscription subscription;
  /** Written on the context; volatile for {@link #kill}, which the node calls from its closing thread. */
  private volatile FfmpegProcess process;
  /** Counts process starts: what an earlier one reports finds a later number and is ignored. */
  private int attempt;
  private boolean awaitingSync;
  private boolean live;
  private long backoffMillis;
  private long startedNanos;
  private long timer = -1;
  private volatile State state = State.STARTING;
  private volatile long restarts;
  private volatile long droppedPackets;
  private volatile long pid = -1;
  private volatile String lastExit = "";
  /** How much later a rendition's keyframe arrived than the source's of the same timestamp, in ms; -1 unknown. */
  private volatile long addedLatencyMillis = -1;

  Transcoder(Vertx vertx, Context context, StreamKey key, TranscodeService service) {
    this.vertx = vertx;
    this.context = context;
    this.key = key;
    this.service = service;
    this.backoffMillis = service.config().restartMin().toMillis();
  }

  void start(Subscription subscription) {
    this.subscription = subscription;
  }

  StreamKey key() {
    return key;
  }

  /**
   * Whether a publish of the rendition {@code name} offering {@code token} is this transcoder's ffmpeg:
   * the token of the process running now, and the first publish of that name under it. A token stays
   * readable in {@code /proc} while its ffmpeg runs; used, it admits no one else. From any thread.
   */
  boolean admit(String name, String token) {
    Admission current = admission;
    return !current.token().isEmpty()
        && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), current.token().getBytes(StandardCharsets.UTF_8))
        && current.used().add(name);
  }

  /** A process's token and the rendition names published under it. */
  private record Admission(String token, Set<String> used) {
  }

  boolean stopped() {
    return state == State.STOPPED;
  }

  VariantMeter.Reading source() {
    return meter.reading();
  }

  /** A snapshot for the API and the metrics, from any thread. */
  TranscodeState snapshot() {
    FfmpegProcess running = process;
    return new TranscodeState(key.app(), key.name(), state.name().toLowerCase(java.util.Locale.ROOT),
        running == null ? -1 : pid, running == null ? 0 : running.speed(), running == null ? 0 : running.cpu(),
        running == null ? 0 : running.frames(), restarts, droppedPackets, lastExit, addedLatencyMillis);
  }

  /**
   * A rendition's keyframe arrived: ffmpeg keeps the source's timestamps (-copyts), so the source's
   * keyframe of the same timestamp tells how long the ladder took. After a restart the rendition's
   * timeline is shifted (a new session goes on after the old one's newest timestamp), and nothing matches
   * until the source publishes again. On this transcoder's context, where the watches live.
   */
  void renditionKeyframe(MediaPacket packet) {
    for (int i = 0; i < Math.min(keyframes, KEYFRAMES_KEPT); i++) {
      if (keyTimestamps[i] == presentationTime(packet)) {
        addedLatencyMillis = Math.max(0, (packet.receivedNanos() - keyNanos[i]) / 1_000_000);
        return;
      }
    }
  }

  /**
   * A video packet's presentation time in ms: its FLV timestamp is the decode time, and a source with
   * B-frames has its keyframe's presentation later by the composition time, which a rendition without
   * B-frames keeps as its decode time.
   */
  static long presentationTime(MediaPacket packet) {
    try {
      return packet.timestamp() + FlvVideoPacket.parse(packet.body()).map(FlvVideoPacket::compositionTimeMs).orElse(0);
    } catch (MediaFormatException e) {
      return packet.timestamp();
    }
  }

  // ---- the source ----

  @Override
  public Context context() {
    return context;
  }

  @Override
  public void attached(List<MediaPacket> startPackets, boolean live) {
    this.live = live;
    startPackets.forEach(this::packet);
    if (live) {
      launch();
    } else {
      stop("the publisher left before the transcoder started");
    }
  }

  @Override
  public void packet(MediaPacket packet) {
    meter.packet(packet);
    if (packet.kind() == MediaKind.VIDEO && packet.isSync()) {
      int slot = keyframes++ % KEYFRAMES_KEPT;
      keyTimestamps[slot] = presentationTime(packet);
      keyNanos[slot] = packet.receivedNanos();
    }
    if (packet.isConfig()) {
      headers.put(packet);
    } else {
      keepGop(packet);
    }
    if (process == null || state != State.RUNNING) {
      return;
    }
    if (awaitingSync) {
      if (!packet.isConfig() && !(packet.kind() == MediaKind.VIDEO && packet.isSync())) {
        return;
      }
      awaitingSync = packet.isConfig();
    }
    if (!process.offer(tag(packet))) {
      // ffmpeg is behind by max-queued: the rest of this GOP is skipped, as a slow player's is.
      droppedPackets = droppedPackets + 1;
      awaitingSync = true;
    }
  }

  @Override
  public void published() {
    live = true;
    headers.clear();
    meter.reset();
    if (state == State.WAITING) {
      cancelTimer();
      launch();
    }
  }

  @Override
  public void unpublished() {
    live = false;
    stop("the publisher left");
  }

  private void keepGop(MediaPacket packet) {
    if (packet.kind() == MediaKind.VIDEO && packet.isSync()) {
      gop.clear();
      gopBytes = 0;
    }
    if (gopBytes + packet.size() > service.config().maxQueued().bytes()) {
      gop.clear();
      gopBytes = 0;
      return;
    }
    if (!gop.isEmpty() || (packet.kind() == MediaKind.VIDEO && packet.isSync())) {
      gop.add(packet);
      gopBytes += packet.size();
    }
  }

  // ---- the process ----

  private void launch() {
    state = State.STARTING;
    int number = ++attempt;
    String token = TranscodeService.newToken();
    admission = new Admission(token, ConcurrentHashMap.newKeySet());
    List<String> command = service.command(key, token);
    vertx.executeBlocking(() -> FfmpegProcess.start(command, key.toString(), service.config().maxQueued().bytes()))
        .onComplete(done -> {
          if (done.failed()) {
            exited(number, "cannot start " + command.get(0) + ": " + done.cause().getMessage());
            return;
          }
          FfmpegProcess started = done.result();
          if (number != attempt || state != State.STARTING) {
            started.endInput();
            started.terminate(true);
            return;
          }
          running(number, started);
        });
  }

  private void running(int number, FfmpegProcess started) {
    process = started;
    pid = started.pid();
    startedNanos = System.nanoTime();
    state = State.RUNNING;
    LOG.info("transcode {}: ffmpeg pid {} started", key, pid);
    started.onExit().whenComplete((p, e) -> context.runOnContext(v -> exited(number,
        "ffmpeg exited with " + (p == null ? "?" : p.exitValue()) + lastLine(started))));
    ByteBuf header = Unpooled.buffer(FlvTag.HEADER_LENGTH);
    FlvTag.writeHeader(header, true, true);
    started.offer(ByteBufUtil.getBytes(header));
    List<MediaPacket> first = new ArrayList<>();
    headers.addTo(first);
    first.addAll(gop);
    for (MediaPacket packet : first) {
      started.offer(tag(packet));
    }
    awaitingSync = gop.isEmpty();
  }

  private static String lastLine(FfmpegProcess process) {
    return process.lastError().isEmpty() ? "" : " (" + process.lastError() + ")";
  }

  /** The process of start {@code number} ended, or could not start. */
  private void exited(int number, String why) {
    if (number != attempt) {
      return;
    }
    process = null;
    pid = -1;
    lastExit = why;
    if (state == State.STOPPING || state == State.STOPPED || !live) {
      finish(why);
      return;
    }
    restarts = restarts + 1;
    service.restarted();
    long ranMillis = (System.nanoTime() - startedNanos) / 1_000_000;
    if (startedNanos > 0 && ranMillis > service.config().restartMax().toMillis()) {
      backoffMillis = service.config().restartMin().toMillis();
    }
    long wait = backoffMillis;
    backoffMillis = Math.min(backoffMillis * 2, service.config().restartMax().toMillis());
    state = State.WAITING;
    LOG.warn("transcode {}: {}; started again in {} ms", key, why, wait);
    timer = vertx.setTimer(wait, id -> {
      timer = -1;
      if (state == State.WAITING && live) {
        launch();
      }
    });
  }

  /** The node closes: ffmpeg's input closes and it gets SIGTERM at once. Any thread. */
  void kill() {
    FfmpegProcess running = process;
    if (running != null) {
      running.endInput();
      running.terminate(false);
    }
  }

  /** Ends the transcoder: ffmpeg's input closes, and it is terminated if it does not exit by itself. */
  void stop(String why) {
    if (state == State.STOPPING || state == State.STOPPED) {
      return;
    }
    cancelTimer();
    if (subscription != null) {
      subscription.cancel();
    }
    FfmpegProcess running = process;
    if (running == null) {
      attempt++;
      finish(why);
      return;
    }
    state = State.STOPPING;
    running.endInput();
    vertx.setTimer(TERM_AFTER_MILLIS, id -> {
      if (running.alive()) {
        running.terminate(false);
      }
    });
    vertx.setTimer(KILL_AFTER_MILLIS, id -> {
      if (running.alive()) {
        running.terminate(true);
      }
    });
    LOG.info("transcode {}: stopping, {}", key, why);
  }

  private void finish(String why) {
    if (state == State.STOPPED) {
      return;
    }
    state = State.STOPPED;
    gop.clear();
    LOG.info("transcode {}: stopped, {}", key, why);
    service.stopped(this);
  }

  private void cancelTimer() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** The packet as one FLV tag, copied out of the shared buffer for the writer thread. */
  private static byte[] tag(MediaPacket packet) {
    ByteBuf out = Unpooled.buffer(packet.size() + FlvTag.OVERHEAD);
    FlvTag.write(out, packet.kind(), packet.timestamp() & 0xFFFFFFFFL, packet.body());
    return ByteBufUtil.getBytes(out);
  }
}
