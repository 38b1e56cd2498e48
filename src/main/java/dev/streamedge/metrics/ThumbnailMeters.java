package dev.streamedge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Stream thumbnails ({@code /api/v1/streams/<app>/<key>/thumbnail.jpg}): pictures ffmpeg made, answers with a
 * picture (made then or kept from before), and refusals (each one also a log line with its reason).
 */
public final class ThumbnailMeters {

  private final Counter made;
  private final Counter served;
  private final Counter refused;

  ThumbnailMeters(MeterRegistry registry) {
    this.made = Counter.builder("streamedge.thumbnails.made")
        .description("Thumbnails ffmpeg made (one per stream per thumbnail.max-age at most)")
        .register(registry);
    this.served = Counter.builder("streamedge.thumbnails.served")
        .description("Thumbnail requests answered with a picture, made for them or kept from before")
        .register(registry);
    this.refused = Counter.builder("streamedge.thumbnails.refused")
        .description("Thumbnail requests refused: not live, no video, ffmpeg failed, too many at once, too late")
        .register(registry);
  }

  public void made() {
    made.increment();
  }

  public void served() {
    served.increment();
  }

  public void refused() {
    refused.increment();
  }
}
