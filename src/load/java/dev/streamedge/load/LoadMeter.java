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

  /**
   * Where live frames go: the measurement window's, or one thrown away, before and after it. Frames are
   * recorded the same way all along, only into another place, so that the window does not start with the
   * JIT throwing away code compiled for a path never taken before: in the event loops reading every
   * player, that stall alone made the window's first frame 27 ms late (500 players, one run).
   */
  static final class Window {
    /** Publisher send to player receive. */
    final Histogram latency = histogram();
    /** The keyframes among {@link #latency}: the largest frames, so the slowest to reach every player. */
    final Histogram keyframeLatency = histogram();
    final LongAdder frames = new LongAdder();
    /** 1 for the measurement window, 0 for the one thrown away: added to each player's count of frames. */
    final int counts;

    private Window(int counts) {
      this.counts = counts;
    }
  }

  /** The live frames received in the measurement window. */
  final Window measured = new Window(1);
  private final Window discarded = new Window(0);
  private volatile Window window = discarded;
  /** Connect started to play request sent (TCP connect, handshake, connect, createStream). */
  final Histogram connect = histogram();
  /** Play request sent to the first video keyframe received: the first picture a player can show. */
  final Histogram firstFrame = histogram();
  final LongAdder missing = new LongAdder();
  final LongAdder reordered = new LongAdder();
  /** Times a player's marks started again from a lower sequence sent later: another publisher's run. */
  final LongAdder publisherRestarts = new LongAdder();

  private static Histogram histogram() {
    return new ConcurrentHistogram(1, HIGHEST_MICROS, 3);
  }

  /** The figures of several meters together, for the report's totals. */
  static LoadMeter merge(Iterable<LoadMeter> meters) {
    LoadMeter total = new LoadMeter();
    for (LoadMeter meter : meters) {
      total.measured.latency.add(meter.measured.latency);
      total.measured.keyframeLatency.add(meter.measured.keyframeLatency);
      total.measured.frames.add(meter.measured.frames.sum());
      total.connect.add(meter.connect);
      total.firstFrame.add(meter.firstFrame);
      total.missing.add(meter.missing.sum());
      total.reordered.add(meter.reordered.sum());
      total.publisherRestarts.add(meter.publisherRestarts.sum());
    }
    return total;
  }

  void measuring(boolean on) {
    window = on ? measured : discarded;
  }

  /** Where a live frame received now goes. */
  Window window() {
    return window;
  }

  static void record(Histogram histogram, long nanos) {
    histogram.recordValue(Math.max(1, Math.min(HIGHEST_MICROS, TimeUnit.NANOSECONDS.toMicros(nanos))));
  }
}
