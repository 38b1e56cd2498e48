package dev.streamedge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of recording: files started, recordings stopped by a failure (a full disk, a path that
 * cannot be written, a disk too slow), bytes written, and files open now. Used from the record contexts.
 */
public final class RecordMeters {

  private final Counter files;
  private final Counter failed;
  private final Counter bytes;
  private final AtomicInteger open = new AtomicInteger();

  RecordMeters(MeterRegistry registry) {
    files = Counter.builder("streamedge.recordings.files")
        .description("Recording files started (a split starts a new one)")
        .register(registry);
    failed = Counter.builder("streamedge.recordings.failed")
        .description("Recordings stopped because their file could not be opened or written, or the disk fell"
            + " more than record.max-queued behind")
        .register(registry);
    bytes = Counter.builder("streamedge.recorded")
        .baseUnit("bytes")
        .description("Bytes written to recording files")
        .register(registry);
    Gauge.builder("streamedge.recordings.open", open::get)
        .description("Recording files being written now")
        .register(registry);
  }

  public void fileOpened() {
    files.increment();
    open.incrementAndGet();
  }

  public void fileClosed() {
    open.decrementAndGet();
  }

  public void failed() {
    failed.increment();
  }

  public void written(long count) {
    bytes.increment(count);
  }
}
