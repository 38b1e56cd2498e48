package dev.streamedge.record;

import dev.streamedge.flv.FlvTag;
import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.net.WireBuffers;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamSubscriber;
import dev.streamedge.stream.Subscription;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one publish session: a subscriber of the live stream that writes each packet as it comes, in
 * the {@link RecordingEncoder} of {@code record.format}, so the file plays up to its last whole tag
 * (FLV) or fragment (fMP4) at any moment: nothing needs a trailer. Timestamps start at 0 in each file. At the first keyframe after
 * {@code record.max-duration} or {@code record.max-size} the recording goes on in a new file, which
 * starts with the latest metadata and sequence headers so that it plays alone. Stops when the publisher
 * leaves, or at the first failure of its file, with one log line; the live stream is not touched.
 * Every method runs on its context.
 */
final class Recorder implements StreamSubscriber {

  private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);
  private static final RateLimitedLog MALFORMED_LOG = RateLimitedLog.of(LOG, "record malformed packet");
  private static final long UNSIGNED_32 = 0xFFFFFFFFL;

  private final Context context;
  private final StreamKey key;
  private final RecordService service;
  /** The latest metadata and sequence headers, which start every file of the recording. */
  private final Map<MediaKind, MediaPacket> configs = new EnumMap<>(MediaKind.class);
  private Subscription subscription;
  private RecordingFile file;
  /** Makes the current file's bytes. */
  private RecordingEncoder encoder;
  private RecordingName name;
  /** The stream timestamp at time 0 of the current file; -1 until its first media packet. */
  private long base = -1;
  private long lastTimestamp;
  private int files;
  private boolean stopped;
  /** Completed with the first file's path, or failed when the recording stops before it (a control start). */
  private final Promise<Path> firstFile = Promise.promise();

  Recorder(Context context, StreamKey key, RecordService service) {
    this.context = context;
    this.key = key;
    this.service = service;
  }

  void start(Subscription subscription) {
    this.subscription = subscription;
    if (stopped) {
      subscription.cancel();
    }
  }

  StreamKey key() {
    return key;
  }

  @Override
  public Context context() {
    return context;
  }

  @Override
  public void attached(List<MediaPacket> startPackets, boolean live) {
    if (!live) {
      stop("the publisher left before the recording started");
      return;
    }
    startPackets.forEach(this::packet);
  }

  @Override
  public void packet(MediaPacket packet) {
    if (stopped) {
      return;
    }
    if (packet.isConfig()) {
      configs.put(packet.kind(), packet);
    }
    if (file != null && packet.isSync() && splitDue(packet)) {
      finishFile();
    }
    if (file == null) {
      startFile();
      if (packet.isConfig() || stopped) {
        // Written with the other configuration at the start of the file.
        return;
      }
    }
    write(packet);
  }

  @Override
  public void published() {
  }

  @Override
  public void unpublished() {
    stop("the publisher left");
  }

  private boolean splitDue(MediaPacket packet) {
    long maxMs = service.config().maxDuration().toMillis();
    long maxBytes = service.config().maxSize().bytes();
    return (maxMs > 0 && base >= 0 && fileTime(packet) >= maxMs) || (maxBytes > 0 && file.size() >= maxBytes);
  }

  private void startFile() {
    name = RecordingName.of(key, Instant.now(), service.format());
    base = -1;
    lastTimestamp = 0;
    RecordingName failing = name;
    file = service.open(name, why -> failed(failing, why));
    encoder = service.encoder();
    files++;
    Path path = service.path(name);
    file.opened().onSuccess(v -> firstFile.tryComplete(path));
    LOG.info("record start stream={} file={}", key, name);
    ByteBuf out = Unpooled.buffer();
    encoder.start(configs.values(), out);
    hand(out);
  }

  private void write(MediaPacket packet) {
    if (base < 0 && !packet.isConfig()) {
      base = packet.timestamp();
    }
    long timestamp = fileTime(packet);
    lastTimestamp = Math.max(lastTimestamp, timestamp);
    ByteBuf out = Unpooled.buffer(packet.size() + FlvTag.OVERHEAD);
    try {
      encoder.packet(packet, timestamp, out);
    } catch (IllegalArgumentException e) {
      MALFORMED_LOG.warn("record stream={}: a malformed packet is left out: {}", key, e.getMessage());
      return;
    }
    hand(out);
    if (encoder.needsNewFile()) {
      LOG.info("record stream={}: a codec configuration changed; the recording goes on in a new file", key);
      finishFile();
    }
  }

  /** Hands what the encoder wrote to the file; a failure has already been reported by the file. */
  private void hand(ByteBuf out) {
    if (out.isReadable() && file != null) {
      file.write(WireBuffers.wrap(out));
    }
  }

  /**
   * The packet's time in the current file: from its first media packet on, 0 before it. Stream time is
   * unsigned 32-bit and wraps; a packet a little before the first one (audio interleaved with the
   * keyframe) is put at 0.
   */
  private long fileTime(MediaPacket packet) {
    if (base < 0) {
      return 0;
    }
    long delta = (packet.timestamp() - base) & UNSIGNED_32;
    return delta > Integer.MAX_VALUE ? 0 : delta;
  }

  private void finishFile() {
    ByteBuf out = Unpooled.buffer();
    encoder.finish(out);
    hand(out);
    RecordingFile finished = file;
    RecordingName finishedName = name;
    long duration = lastTimestamp;
    file = null;
    finished.close().onComplete(closed -> {
      if (closed.succeeded()) {
        LOG.info("record done stream={} file={} bytes={} duration={}ms", key, finishedName, finished.size(),
            duration);
      }
      service.done(finishedName, finished.path(), closed.succeeded());
    });
  }

  /**
   * The current file failed: reported even when the session already ended (a short session whose file
   * could not be opened), never for an earlier part, which was closed already.
   */
  private void failed(RecordingName failedName, String why) {
    if (failedName != name) {
      return;
    }
    LOG.error("record failed stream={} file={} path={}: {}; the recording stops, the stream goes on", key,
        failedName, service.path(failedName), why);
    service.failed();
    if (!stopped) {
      file = null;
      stop("failed");
    }
  }

  /** The path of the first file, once the recording has one. */
  Future<Path> firstFile() {
    return firstFile.future();
  }

  /**
   * Stops the recording, on its context; answers the path of the file it was writing, empty when none
   * (nginx-rtmp's /control/record/stop).
   */
  Optional<Path> stopAndTell(String why) {
    Optional<Path> writing = file == null || stopped ? Optional.empty() : Optional.of(file.path());
    stop(why);
    return writing;
  }

  private void stop(String why) {
    if (stopped) {
      return;
    }
    stopped = true;
    firstFile.tryFail("the recording stopped before its first file: " + why);
    service.ended(this);
    if (file != null) {
      finishFile();
    }
    if (subscription != null) {
      subscription.cancel();
    }
    LOG.info("record stop stream={} files={} reason={}", key, files, why);
  }
}
