package dev.streamedge.http;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Warnings about events that come in storms — a crowd of slow clients, a full node refusing
 * connections — at most one line per window: the first event of a window is logged, with the number
 * of events left out since the line before; the counters in the metrics count every one. Any thread.
 */
final class ThrottledLog {

  private final Logger log;
  private final long windowNanos;
  private final LongSupplier nanoClock;
  private final AtomicLong nextLineAt;
  private final AtomicLong leftOut = new AtomicLong();

  /** Lines on {@code log}, at most one per {@code window}, timed by {@code nanoClock}. */
  ThrottledLog(Logger log, Duration window, LongSupplier nanoClock) {
    this.log = log;
    this.windowNanos = window.toNanos();
    this.nanoClock = nanoClock;
    this.nextLineAt = new AtomicLong(nanoClock.getAsLong());
  }

  ThrottledLog(Logger log, Duration window) {
    this(log, window, System::nanoTime);
  }

  /** Logs {@code message} as a warning, unless a line was logged less than a window ago. */
  void warn(String message) {
    long skipped = admit();
    if (skipped == 0) {
      log.warn(message);
    } else if (skipped > 0) {
      log.warn("{} ({} more like it since the last line, not logged)", message, skipped);
    }
  }

  /**
   * Whether a line may be logged now: -1 when not (the event is counted as left out), else the number
   * of events left out since the last line.
   */
  long admit() {
    long now = nanoClock.getAsLong();
    long next = nextLineAt.get();
    if (now - next < 0 || !nextLineAt.compareAndSet(next, now + windowNanos)) {
      leftOut.incrementAndGet();
      return -1;
    }
    return leftOut.getAndSet(0);
  }
}
