package dev.streamedge.log;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * One kind of log line (a reason: connect, disconnect, refused, ...) of one logger, bounded to
 * {@code log.max-lines-per-second} lines in each wall-clock second; the lines beyond are counted and
 * summed up in one line, {@code suppressed N "disconnect" lines in the last 1000 ms}, when the next
 * second begins, so that no event is lost without a trace. The log stays readable, and bounded, under a
 * connection storm (hundreds of connections a second each wrote a line or two before).
 *
 * <p>log4j2's {@code BurstFilter} bounds a rate too, but drops what it holds back without a count, and
 * per logger or appender rather than per kind of line: one noisy kind would silence the others.
 *
 * <p>Lock-free, from any thread; what it costs an event loop is a clock read and two atomic adds.
 * Create instances in static initializers only: each is kept for {@link #flush}.
 */
public final class RateLimitedLog {

  /** The built-in default of {@code log.max-lines-per-second}. */
  public static final int DEFAULT_LINES_PER_SECOND = 20;

  private static final List<RateLimitedLog> ALL = new CopyOnWriteArrayList<>();
  private static volatile int linesPerSecond = DEFAULT_LINES_PER_SECOND;

  private final Logger logger;
  private final String reason;
  /** The wall-clock second counted now, so that lines per second are as the log's timestamps show them. */
  private final AtomicLong second = new AtomicLong();
  private final AtomicInteger lines = new AtomicInteger();
  private final AtomicLong suppressed = new AtomicLong();
  private volatile long suppressedSinceMillis;

  private RateLimitedLog(Logger logger, String reason) {
    this.logger = logger;
    this.reason = reason;
  }

  /** Lines of {@code reason} written through {@code logger}. */
  public static RateLimitedLog of(Logger logger, String reason) {
    RateLimitedLog log = new RateLimitedLog(logger, reason);
    ALL.add(log);
    return log;
  }

  /**
   * Sets {@code log.max-lines-per-second} for every kind of line of this JVM, as log4j's configuration is
   * the JVM's; the node sets it when it starts.
   */
  public static void limit(int perSecond) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("at least one line per second: " + perSecond);
    }
    linesPerSecond = perSecond;
  }

  /**
   * Writes the summaries of the seconds that ended, for kinds of line that were suppressed and have
   * not been logged since. The node calls it once a second, so a storm's last summary comes when it ends.
   */
  public static void flush() {
    long now = System.currentTimeMillis();
    for (RateLimitedLog log : ALL) {
      log.roll(now);
    }
  }

  public void info(String format, Object... args) {
    if (admit()) {
      logger.info(format, args);
    }
  }

  public void warn(String format, Object... args) {
    if (admit()) {
      logger.warn(format, args);
    }
  }

  /** With a {@link Throwable} as the last argument its stack trace is logged, as slf4j does. */
  public void error(String format, Object... args) {
    if (admit()) {
      logger.error(format, args);
    }
  }

  private boolean admit() {
    long now = System.currentTimeMillis();
    roll(now);
    if (lines.incrementAndGet() <= linesPerSecond) {
      return true;
    }
    if (suppressed.getAndIncrement() == 0) {
      suppressedSinceMillis = now;
    }
    return false;
  }

  /** Starts counting a new second when {@code now} is in one, and sums up what the last ones held back. */
  private void roll(long now) {
    long current = second.get();
    long nowSecond = now / 1000;
    if (nowSecond != current && second.compareAndSet(current, nowSecond)) {
      lines.set(0);
      long held = suppressed.getAndSet(0);
      if (held > 0) {
        logger.warn("suppressed {} \"{}\" lines in the last {} ms: log.max-lines-per-second is {}", held, reason,
            now - suppressedSinceMillis, linesPerSecond);
      }
    }
  }
}
