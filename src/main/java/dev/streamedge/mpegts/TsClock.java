package dev.streamedge.mpegts;

/**
 * Turns the 33-bit 90 kHz time stamps of a program (ISO/IEC 13818-1 §2.4.3.7) into RTMP
 * milliseconds: unwrapped past 2^33 (every 26.5 hours), relative to the first DTS of any track so
 * that audio and video share one base, rounded to the nearest millisecond as ffmpeg rescales, and
 * cut to 32 bits as RTMP timestamps are. A time before the base (a track that starts a little
 * earlier than the first frame seen) is 0.
 */
final class TsClock {

  private static final long MASK = (1L << 33) - 1;
  private static final long TICKS_PER_MS = 90;

  private boolean started;
  /** The last DTS, unwrapped. */
  private long last;
  private long base;

  /** {@code dts90k} on the unwrapped timeline: the nearest value to the last DTS, ahead or behind. */
  long unwrap(long dts90k) {
    if (!started) {
      started = true;
      last = dts90k & MASK;
      base = last;
      return last;
    }
    last += signed33(dts90k - last);
    return last;
  }

  /** The unwrapped PTS of a frame whose DTS unwrapped to {@code dts}: PTS − DTS is small either way. */
  static long unwrapPts(long pts90k, long dts90k, long dts) {
    return dts + signed33(pts90k - dts90k);
  }

  /** Milliseconds since the base of an unwrapped time plus {@code samples} at {@code sampleRate} Hz. */
  long millis(long unwrapped, long samples, int sampleRate) {
    long numerator = (unwrapped - base) * sampleRate + samples * 90_000;
    long denominator = (long) TICKS_PER_MS * sampleRate;
    return clamp(Math.floorDiv(2 * numerator + denominator, 2 * denominator));
  }

  /** Milliseconds since the base of an unwrapped time. */
  long millis(long unwrapped) {
    return clamp(Math.floorDiv(2 * (unwrapped - base) + TICKS_PER_MS, 2 * TICKS_PER_MS));
  }

  private static long clamp(long millis) {
    return Math.max(0, millis) & 0xFFFF_FFFFL;
  }

  /** A 33-bit difference as a signed value in [−2^32, 2^32). */
  private static long signed33(long difference) {
    return (difference & MASK) << 31 >> 31;
  }
}
