package dev.streamedge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;

/**
 * The transcoders of the node, without a label per stream (streams come and go; the API lists each):
 * how many run, the slowest one's speed, the CPU they use together, restarts, and streams refused a
 * transcoder by {@code transcode.max-processes}.
 */
public final class TranscodeMeters {

  private final MeterRegistry registry;
  private final Counter restarts;
  private final Counter refused;

  TranscodeMeters(MeterRegistry registry) {
    this.registry = registry;
    this.restarts = Counter.builder("streamedge.transcode.restarts")
        .description("Transcoders (ffmpeg) that ended while their source was live and were started again")
        .register(registry);
    this.refused = Counter.builder("streamedge.transcode.refused")
        .description("Streams that got no transcoder, since transcode.max-processes were running: they play their"
            + " source only")
        .register(registry);
  }

  /** Registers the gauges; each supplier is read at each scrape, from any thread. */
  public void gauges(IntSupplier processes, DoubleSupplier slowestSpeed, DoubleSupplier cpuCores) {
    Gauge.builder("streamedge.transcode.processes", processes::getAsInt)
        .description("ffmpeg transcoders running now, one per transcoded stream")
        .register(registry);
    Gauge.builder("streamedge.transcode.speed.min", slowestSpeed::getAsDouble)
        .description("Speed of the slowest running transcoder over its last second, media time per wall-clock time"
            + " (1 is real time); 0 when none runs")
        .register(registry);
    Gauge.builder("streamedge.transcode.cpu", cpuCores::getAsDouble)
        .description("CPU cores all transcoders use together, over their last second")
        .register(registry);
  }

  public void restarted() {
    restarts.increment();
  }

  public void refused() {
    refused.increment();
  }
}
