package dev.streamedge.metrics;

import dev.streamedge.media.MediaPacket;
import dev.streamedge.session.Protocol;
import dev.streamedge.stream.PlayerQueue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of one streaming protocol (RTMP, RTMPS, HTTP-FLV, WebSocket-FLV): its players now, the
 * bytes its connections send, and what the player queues report. Resolved once per protocol when the
 * node starts, so that the calls made per packet only add to a counter: no meter lookup, no
 * allocation, no lock. Used from every event loop.
 */
public final class PlayerMeters implements PlayerQueue.Events {

  /**
   * Buckets of the time-to-first-frame histogram: a player starting from the GOP cache lands in the
   * first ones; one waiting for a publisher or a keyframe in the last.
   */
  private static final Duration[] FIRST_FRAME_BUCKETS = {
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
      Duration.ofSeconds(30)};

  private final Protocol protocol;
  private final AtomicInteger players = new AtomicInteger();
  private final Counter sentBytes;
  private final Counter droppedFrames;
  private final Counter slowDisconnected;
  private final Counter gopCacheJoins;
  private final Timer firstFrame;

  PlayerMeters(MeterRegistry registry, Protocol protocol, Counter sentBytes) {
    this.protocol = protocol;
    this.sentBytes = sentBytes;
    String label = protocol.label();
    Gauge.builder("streamedge.players", players, AtomicInteger::get)
        .description("Players connected now")
        .tag(Metrics.PROTOCOL, label)
        .register(registry);
    droppedFrames = Counter.builder("streamedge.player.dropped.frames")
        .description("Frames not sent to players that fell behind live, which then skipped to the next keyframe")
        .tag(Metrics.PROTOCOL, label)
        .register(registry);
    slowDisconnected = Counter.builder("streamedge.slow.players.disconnected")
        .description("Players disconnected for staying behind live longer than player.max-behind")
        .tag(Metrics.PROTOCOL, label)
        .register(registry);
    gopCacheJoins = Counter.builder("streamedge.gop.cache.joins")
        .description("Players that joined a live stream and started from its GOP cache")
        .tag(Metrics.PROTOCOL, label)
        .register(registry);
    firstFrame = Timer.builder("streamedge.player.first.frame")
        .description("Time from a play request to the first audio or video frame written to the player")
        .tag(Metrics.PROTOCOL, label)
        .serviceLevelObjectives(FIRST_FRAME_BUCKETS)
        .register(registry);
  }

  public Protocol protocol() {
    return protocol;
  }

  public void playerStarted() {
    players.incrementAndGet();
  }

  public void playerStopped() {
    players.decrementAndGet();
  }

  /** A player got what a joining player starts with: metadata, sequence headers, then the GOP cache. */
  public void joined(List<MediaPacket> startPackets) {
    // Configuration comes first, so the GOP cache had frames exactly when the last packet is one.
    if (!startPackets.isEmpty() && !startPackets.get(startPackets.size() - 1).isConfig()) {
      gopCacheJoins.increment();
    }
  }

  /** Bytes written to a socket of this protocol. */
  public void sent(long bytes) {
    sentBytes.increment(bytes);
  }

  @Override
  public void firstFrame(long nanos) {
    firstFrame.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void framesDropped(long frames) {
    droppedFrames.increment(frames);
  }

  @Override
  public void closedBehind() {
    slowDisconnected.increment();
  }
}
