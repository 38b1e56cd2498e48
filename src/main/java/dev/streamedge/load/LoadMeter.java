package dev.streamedge.load;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What all players measured together, written from every event loop of the load generator. Memory is
 * bounded whatever the number of players or frames: histograms of microseconds (1 µs to 10 min, three
 * significant digits), and counters.
 */
final class LoadMeter {

  private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);

  /** Publisher send to player receive, for live frames received in the measurement window. */
  final Histogram latency = histogram();
  /** Connect started to play request sent (TCP connect, handshake, connect, createStream). */
  final Histogram connect = histogram();
  /** Play request sent to the first video keyframe received: the first picture a player can show. */
  final Histogram firstFrame = histogram();
  final LongAdder framesInWindow = new LongAdder();
  final LongAdder missing = new LongAdder();
  final LongAdder reordered = new LongAdder();
  private volatile boolean measuring;

  private static Histogram histogram() {
    return new ConcurrentHistogram(1, HIGHEST_MICROS, 3);
  }

  /** The figures of several meters together, for the report's totals. */
  static LoadMeter merge(Iterable<LoadMeter> meters) {
    LoadMeter total = new LoadMeter();
    for (LoadMeter meter : meters) {
      total.latency.add(meter.latency);
      total.connect.add(meter.connect);
      total.firstFrame.add(meter.firstFrame);
      total.framesInWindow.add(meter.framesInWindow.sum());
      total.missing.add(meter.missing.sum());
      total.reordered.add(meter.reordered.sum());
    }
    return total;
  }

  void measuring(boolean on) {
    measuring = on;
  }

  boolean measuring() {
    return measuring;
  }

  static void record(Histogram histogram, long nanos) {
    histogram.recordValue(Math.max(1, Math.min(HIGHEST_MICROS, TimeUnit.NANOSECONDS.toMicros(nanos))));
  }
}
