package dev.streamedge.stream;

import dev.streamedge.stream.StreamInfo.Rates;
import java.util.Arrays;

/**
 * Video frames and media bytes per second of one stream, measured as they arrive over the last
 * {@link #WINDOW_SECONDS} whole seconds. Counted on the stream's home context, per packet, into a
 * fixed ring of one-second buckets: no allocation and no lock. A stream that stops sending reads 0
 * once its seconds leave the window.
 */
final class RateMeter {

  static final int WINDOW_SECONDS = 5;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  /** The window, plus the second being counted now, which is not read until it is complete. */
  private static final int BUCKETS = WINDOW_SECONDS + 1;

  private final long[] frames = new long[BUCKETS];
  private final long[] bytes = new long[BUCKETS];
  private final long[] videoBytes = new long[BUCKETS];
  private boolean started;
  /** The second (of {@link System#nanoTime}) counted into now. */
  private long second;
  /** The first second counted: it began before the stream did, so it is never read. */
  private long firstSecond;

  /**
   * Counts a packet that arrived at {@code nanos}: {@code frames} video frames and {@code bytes} of media,
   * video when {@code video}.
   */
  void add(long nanos, int frameCount, long byteCount, boolean video) {
    advance(nanos);
    int bucket = (int) Math.floorMod(second, (long) BUCKETS);
    frames[bucket] += frameCount;
    bytes[bucket] += byteCount;
    if (video) {
      videoBytes[bucket] += byteCount;
    }
  }

  /** The rates over the whole seconds before {@code nanos}, at most {@link #WINDOW_SECONDS} of them. */
  Rates read(long nanos) {
    if (!started) {
      return new Rates(0, 0, 0, 0);
    }
    advance(nanos);
    int seconds = (int) Math.min(WINDOW_SECONDS, second - firstSecond - 1);
    if (seconds <= 0) {
      return new Rates(0, 0, 0, 0);
    }
    long frameSum = 0;
    long byteSum = 0;
    long videoSum = 0;
    for (int back = 1; back <= seconds; back++) {
      int bucket = (int) Math.floorMod(second - back, (long) BUCKETS);
      frameSum += frames[bucket];
      byteSum += bytes[bucket];
      videoSum += videoBytes[bucket];
    }
    return new Rates((double) frameSum / seconds, byteSum * 8 / seconds, seconds, videoSum * 8 / seconds);
  }

  /** Starts over, for a new publisher session. */
  void reset() {
    started = false;
  }

  private void advance(long nanos) {
    long now = Math.floorDiv(nanos, NANOS_PER_SECOND);
    if (!started) {
      started = true;
      second = now;
      firstSecond = now;
      Arrays.fill(frames, 0);
      Arrays.fill(bytes, 0);
      Arrays.fill(videoBytes, 0);
      return;
    }
    // Empties the buckets of the seconds passed since, at most the whole ring.
    for (long next = second + 1; next <= now && next <= second + BUCKETS; next++) {
      int bucket = (int) Math.floorMod(next, (long) BUCKETS);
      frames[bucket] = 0;
      bytes[bucket] = 0;
      videoBytes[bucket] = 0;
    }
    second = Math.max(second, now);
  }
}
