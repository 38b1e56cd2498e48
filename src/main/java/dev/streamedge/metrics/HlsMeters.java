package dev.streamedge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of HLS: segments packaged, how soon an LL-HLS part can be served, the requests parked
 * for one, and playlists and segments served with the bytes they carried. Used from the HLS contexts
 * and every HTTP event loop.
 */
public final class HlsMeters {

  /**
   * Buckets of the part-ready histogram: a part ends when the next frame of its stream comes, one
   * frame interval (40 ms at 25 fps, less with audio between) after its last one.
   */
  private static final Duration[] PART_READY_BUCKETS = {
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(30),
      Duration.ofMillis(40), Duration.ofMillis(50), Duration.ofMillis(75), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(1000)};

  private final Counter segmentsProduced;
  private final Counter segmentsServed;
  private final Counter playlistsServed;
  private final Counter sentBytes;
  private final Timer partReady;
  private final MeterRegistry registry;

  HlsMeters(MeterRegistry registry, Counter sentBytes) {
    this.registry = registry;
    this.sentBytes = sentBytes;
    partReady = Timer.builder("streamedge.hls.part.ready")
        .description("Time from the arrival of an LL-HLS part's last frame at its packager to the part being"
            + " servable (listed, and sent to the requests parked for it)")
        .serviceLevelObjectives(PART_READY_BUCKETS)
        .register(registry);
    segmentsProduced = Counter.builder("streamedge.hls.segments.produced")
        .description("HLS segments packaged")
        .register(registry);
    segmentsServed = Counter.builder("streamedge.hls.segments.served")
        .description("HLS segment responses sent with a body (GET, whole or a range)")
        .register(registry);
    playlistsServed = Counter.builder("streamedge.hls.playlists.served")
        .description("HLS playlist responses sent with a body (GET)")
        .register(registry);
  }

  /** Reports {@code parked} as the LL-HLS requests parked on this node now. */
  public void blockedRequests(AtomicInteger parked) {
    Gauge.builder("streamedge.hls.blocked.requests", parked, AtomicInteger::get)
        .description("LL-HLS playlist and part requests parked until what they ask for exists"
            + " (bounded by hls.max-blocked-requests)")
        .register(registry);
  }

  /** An LL-HLS part became servable {@code nanos} after its last frame reached the packager. */
  public void partReady(long nanos) {
    partReady.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void segmentsProduced(long count) {
    segmentsProduced.increment(count);
  }

  public void segmentServed(long bytes) {
    segmentsServed.increment();
    sentBytes.increment(bytes);
  }

  public void playlistServed(long bytes) {
    playlistsServed.increment();
    sentBytes.increment(bytes);
  }
}
