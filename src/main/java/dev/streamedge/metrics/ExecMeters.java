package dev.streamedge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.IntSupplier;

/**
 * The processes of {@code exec.*}, without a label per stream or command: how many run, how many
 * started, how many an event could not start ({@code exec.max-processes}, or the program not found),
 * how many push commands were started again, and how many one-shot commands ran past
 * {@code exec.event-timeout}.
 */
public final class ExecMeters {

  private final MeterRegistry registry;
  private final Counter started;
  private final Counter failed;
  private final Counter respawned;
  private final Counter timedOut;

  ExecMeters(MeterRegistry registry) {
    this.registry = registry;
    this.started = Counter.builder("streamedge.exec.started")
        .description("Processes of exec.* commands started")
        .register(registry);
    this.failed = Counter.builder("streamedge.exec.failed")
        .description("exec.* commands an event did not start: exec.max-processes running, or the program could not"
            + " be run")
        .register(registry);
    this.respawned = Counter.builder("streamedge.exec.respawned")
        .description("exec.push processes that ended while their publish lasted and were started again")
        .register(registry);
    this.timedOut = Counter.builder("streamedge.exec.timed.out")
        .description("One-shot exec.* processes ended because they ran longer than exec.event-timeout")
        .register(registry);
  }

  /** Registers the gauge of processes running; {@code processes} is read at each scrape, from any thread. */
  public void processes(IntSupplier processes) {
    Gauge.builder("streamedge.exec.processes", processes::getAsInt)
        .description("Processes of exec.* commands running now, as counted against exec.max-processes")
        .register(registry);
  }

  public void started() {
    started.increment();
  }

  public void failed() {
    failed.increment();
  }

  public void respawned() {
    respawned.increment();
  }

  public void timedOut() {
    timedOut.increment();
  }
}
