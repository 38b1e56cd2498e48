package dev.streamedge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The meters of HLS: segments packaged, and playlists and segments served with the bytes they
 * carried. Used from the HLS contexts and every HTTP event loop.
 */
public final class HlsMeters {

  private final Counter segmentsProduced;
  private final Counter segmentsServed;
  private final Counter playlistsServed;
  private final Counter sentBytes;

  HlsMeters(MeterRegistry registry, Counter sentBytes) {
    this.sentBytes = sentBytes;
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
