package dev.streamedge.hls;

import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.metrics.HlsMeters;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamSubscriber;
import dev.streamedge.stream.Subscription;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Packages one live stream into HLS: a subscriber of the stream like any player, feeding an
 * {@link HlsMuxer}. Lives on one HLS context; every method runs there.
 */
final class HlsPackager implements StreamSubscriber {

  private static final Logger LOG = LoggerFactory.getLogger(HlsPackager.class);

  private final Context context;
  private final StreamKey key;
  private final HlsMuxer muxer;
  private final boolean onDemand;
  private final HlsMeters meters;
  private final List<Promise<Boolean>> readyWaiters = new ArrayList<>();
  private final BlockedRequests blocked;
  private final RenditionReports reports;
  /** Lets go of what the service holds for this stream (its ladder's date anchor). */
  private final Runnable onStop;
  /** Every packager's last {@link HlsSnapshot}, by stream: what the HTTP event loops serve from. */
  private final Map<StreamKey, HlsSnapshot> snapshots;
  /** Writes each finished segment's MPEG-TS to a file, for {@code sendfile}. */
  private final SegmentFiles files;
  private HlsSnapshot snapshot;
  /** What {@link #reports} last got from this stream. */
  private RenditionReports.Progress published;
  /** The muxer's next part number and last segment when blocked requests were last looked at. */
  private long seenPart;
  private long seenSegment = -1;
  private long progressNanos = System.nanoTime();
  /** When the last packet given to {@link #packet} came, or -1 after the GOP cache or a stop. */
  private long lastPacketNanos = -1;
  /** Parts finished since the packager started or the publisher came back. */
  private long partsInRun;
  private Subscription subscription;
  private boolean live;
  /** Written by the HTTP event loops that serve from {@link #snapshot}, read here. */
  private volatile long lastRequestNanos = System.nanoTime();
  private long unpublishedNanos = -1;
  private long malformed;
  /** Segments of the muxer already counted in the meters. */
  private long segmentsCounted;

  HlsPackager(Context context, StreamKey key, HlsMuxer muxer, boolean onDemand, HlsMeters meters,
      AtomicInteger nodeBlocked, int maxBlocked, RenditionReports reports, Map<StreamKey, HlsSnapshot> snapshots,
      SegmentFiles files, Runnable onStop) {
    this.context = context;
    this.files = files;
    this.onStop = onStop;
    this.snapshots = snapshots;
    this.reports = reports;
    this.blocked = new BlockedRequests(muxer, nodeBlocked, maxBlocked);
    this.key = key;
    this.muxer = muxer;
    this.onDemand = onDemand;
    this.meters = meters;
  }

  void start(Subscription subscription) {
    this.subscription = subscription;
  }

  StreamKey key() {
    return key;
  }

  /** Marks a request, which keeps on-demand packaging going; from any thread. */
  void touch() {
    lastRequestNanos = System.nanoTime();
  }

  /** The MPEG-TS or fMP4 playlist, rendered by the last snapshot; see {@link HlsSnapshot#playlist}. */
  Optional<Buffer> playlist(String segmentPrefix, HlsVariant variant) {
    return snapshot == null ? Optional.empty() : snapshot.playlist(variant, segmentPrefix);
  }

  /** The last snapshot, if the packager made one. */
  Optional<HlsSnapshot> snapshot() {
    return Optional.ofNullable(snapshot);
  }

  /** The DASH MPD, rendered by the last snapshot; see {@link HlsSnapshot#manifest}. */
  Optional<Buffer> manifest(String segmentPrefix) {
    return snapshot == null ? Optional.empty() : snapshot.manifest(segmentPrefix);
  }

  Optional<Buffer> init(long id) {
    return muxer.init(id);
  }

  Optional<HlsSegment> segment(long sequence) {
    return muxer.segment(sequence);
  }

  /** An LL-HLS playlist request, see {@link BlockedRequests#playlist}; the muxer must be ready. */
  void lowLatencyPlaylist(long msn, int part, String prefix, boolean skip, Promise<HlsReply> reply) {
    blocked.playlist(msn, part, prefix, skip, reply);
  }

  /** An LL-HLS part request, see {@link BlockedRequests#part}. */
  void part(long number, Promise<HlsReply> reply) {
    blocked.part(number, reply);
  }

  /**
   * Periodic check: RFC 8216bis §6.2.5.2 lets a server answer 503 when a blocking request cannot be
   * met in three target durations; here, when the stream made no part for that long.
   */
  void checkStalled(long now) {
    long stallNanos = 3L * Math.max(1, muxer.targetDurationSeconds()) * 1_000_000_000L;
    if (!blocked.isEmpty() && now - progressNanos > stallNanos) {
      blocked.answerAll(HlsReply.UNAVAILABLE);
    }
  }

  /** Completes with true when the first segment exists, or false when the wait is over. */
  void whenReady(Promise<Boolean> waiter) {
    if (muxer.ready()) {
      waiter.complete(true);
    } else {
      readyWaiters.add(waiter);
    }
  }

  /** Periodic check: stops packaging nobody asks for, or whose publisher has gone for good. */
  boolean idle(long now, long idleNanos) {
    return (onDemand && now - lastRequestNanos > idleNanos)
        || (!live && unpublishedNanos >= 0 && now - unpublishedNanos > idleNanos);
  }

  void stop() {
    if (malformed > 0) {
      LOG.warn("hls stream={}: {} malformed packets were dropped", key, malformed);
    }
    if (subscription != null) {
      subscription.cancel();
    }
    wakeWaiters(false);
    blocked.answerAll(HlsReply.NOT_FOUND);
    onStop.run();
    if (published != null) {
      reports.remove(key, published);
    }
    if (snapshot != null) {
      snapshots.remove(key, snapshot);
    }
    closeFiles();
  }

  /** Lets go of the kept segments' files: the packaging stopped, or the node is closing. On the packager's context. */
  void closeFiles() {
    muxer.window().close();
  }

  @Override
  public Context context() {
    return context;
  }

  @Override
  public void attached(List<MediaPacket> startPackets, boolean live) {
    this.live = live;
    if (!live) {
      unpublishedNanos = System.nanoTime();
    }
    // The GOP cache lets the first segment complete one GOP sooner; date its packets back from now.
    long now = System.currentTimeMillis();
    long newest = startPackets.isEmpty() ? 0 : startPackets.get(startPackets.size() - 1).timestamp();
    for (MediaPacket packet : startPackets) {
      feed(packet, now - Math.max(0, newest - packet.timestamp()));
    }
    lastPacketNanos = -1;
    partsInRun = 0;
    segmentsDone();
  }

  @Override
  public void packet(MediaPacket packet) {
    long arrived = System.nanoTime();
    long parts = seenPart;
    feed(packet, System.currentTimeMillis());
    segmentsDone();
    // A part ends when the frame after it comes: it was ready that long after the previous packet, its last.
    // Not the first part of a run: a publisher's first video frame may come a second after its audio.
    if (seenPart != parts && partsInRun++ > 0 && lastPacketNanos >= 0) {
      meters.partReady(System.nanoTime() - lastPacketNanos);
    }
    lastPacketNanos = arrived;
  }

  private void feed(MediaPacket packet, long wallClockMillis) {
    try {
      muxer.packet(packet, wallClockMillis);
    } catch (MediaFormatException e) {
      // The muxer dropped the packet and stays consistent; one line per stream, not per packet.
      if (malformed++ == 0) {
        LOG.warn("hls stream={}: dropped a malformed packet ({}); further ones are counted, not logged", key,
            e.getMessage());
      }
    }
  }

  @Override
  public void published() {
    live = true;
    unpublishedNanos = -1;
  }

  @Override
  public void unpublished() {
    live = false;
    unpublishedNanos = System.nanoTime();
    lastPacketNanos = -1;
    partsInRun = 0;
    muxer.discontinuity();
    segmentsDone();
    // A stream that ends before its first segment (its publisher left, or an edge's pull got no
    // answer) has nothing to package until a publisher comes back: its waiting requests get their
    // 404 now, as for a stream that is not live, not at first-segment-wait.
    if (!muxer.ready()) {
      wakeWaiters(false);
    }
  }

  /** After the muxer may have finished a segment: counts it, and wakes the requests waiting for one. */
  private void segmentsDone() {
    long part = muxer.window().nextPartNumber();
    long segment = muxer.window().lastSequence();
    if (part != seenPart || segment != seenSegment) {
      seenPart = part;
      seenSegment = segment;
      progressNanos = System.nanoTime();
      // Before the parked requests are answered, so that a sibling's report is never behind this stream's own.
      published = muxer.window().progress();
      reports.publish(key, published);
      HlsWindow window = muxer.window();
      snapshot = new HlsSnapshot(this::touch, window.segments(), window.parts(), window.inits(),
          window.playlistLength(), muxer.targetDurationSeconds(), snapshot);
      snapshots.put(key, snapshot);
      blocked.progress();
    }
    long finished = muxer.segmentsFinished();
    if (finished == segmentsCounted) {
      return;
    }
    meters.segmentsProduced(finished - segmentsCounted);
    List<HlsSegment> kept = muxer.window().segments();
    for (int i = (int) Math.max(0, kept.size() - (finished - segmentsCounted)); i < kept.size(); i++) {
      files.store(kept.get(i));
    }
    segmentsCounted = finished;
    notifyIfReady();
  }

  private void notifyIfReady() {
    if (muxer.ready()) {
      wakeWaiters(true);
    }
  }

  private void wakeWaiters(boolean ready) {
    readyWaiters.forEach(w -> w.tryComplete(ready));
    readyWaiters.clear();
  }
}
