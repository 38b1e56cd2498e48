package dev.streamedge.record;

import dev.streamedge.flv.FlvTag;
import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.net.WireBuffers;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamSubscriber;
import dev.streamedge.stream.Subscription;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one publish session: a subscriber of the live stream that writes each packet as an FLV tag
 * as it comes, so the file is a valid FLV up to its last whole tag at any moment (FLV spec v10.1 §E:
 * no index, no trailer). Timestamps start at 0 in each file. At the first keyframe after
 * {@code record.max-duration} or {@code record.max-size} the recording goes on in a new file, which
 * starts with the latest metadata and sequence headers so that it plays alone. Stops when the publisher
 * leaves, or at the first failure of its file, with one log line; the live stream is not touched.
 * Every method runs on its context.
 */
final class Recorder implements StreamSubscriber {

  private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);
  private static final long UNSIGNED_32 = 0xFFFFFFFFL;

  private final Context context;
  private final StreamKey key;
  private final RecordService service;
  /** The latest metadata and sequence headers, which start every file of the recording. */
  private final Map<MediaKind, MediaPacket> configs = new EnumMap<>(MediaKind.class);
  private Subscription subscription;
  private RecordingFile file;
  private RecordingName name;
  /** The stream timestamp at time 0 of the current file; -1 until its first media packet. */
  private long base = -1;
  private long lastTimestamp;
  private int files;
  private boolean stopped;

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
    name = RecordingName.of(key, Instant.now());
    base = -1;
    lastTimestamp = 0;
    RecordingName failing = name;
    file = service.open(name, why -> failed(failing, why));
    files++;
    LOG.info("record start stream={} file={}", key, name);
    boolean audio = configs.containsKey(MediaKind.AUDIO) || !configs.containsKey(MediaKind.VIDEO);
    boolean video = configs.containsKey(MediaKind.VIDEO) || !configs.containsKey(MediaKind.AUDIO);
    ByteBuf header = Unpooled.buffer(FlvTag.HEADER_LENGTH);
    FlvTag.writeHeader(header, audio, video);
    if (!file.write(WireBuffers.wrap(header))) {
      return;
    }
    for (MediaPacket config : configs.values()) {
      write(config);
    }
  }

  private void write(MediaPacket packet) {
    if (base < 0 && !packet.isConfig()) {
      base = packet.timestamp();
    }
    long timestamp = fileTime(packet);
    lastTimestamp = Math.max(lastTimestamp, timestamp);
    ByteBuf tag = Unpooled.buffer(packet.size() + FlvTag.OVERHEAD);
    FlvTag.write(tag, packet.kind(), timestamp, packet.body());
    // A failure has already been reported by the file, and has stopped this recorder.
    file.write(WireBuffers.wrap(tag));
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

  private void stop(String why) {
    if (stopped) {
      return;
    }
    stopped = true;
    if (file != null) {
      finishFile();
    }
    if (subscription != null) {
      subscription.cancel();
    }
    LOG.info("record stop stream={} files={} reason={}", key, files, why);
  }
}
