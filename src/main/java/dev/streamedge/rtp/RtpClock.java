package dev.streamedge.rtp;

/**
 * Media time in milliseconds to RTP timestamps (RFC 3550 §5.1): ticks of the track's clock after an initial
 * offset, which the RFC wants random and the caller chooses, modulo 2^32. Video runs at 90 kHz (RFC 6184 §5.1,
 * RFC 7798 §4.1) from presentation times; AAC at its sampling rate (RFC 3640 §3.2.1).
 *
 * @param clockRate ticks per second
 * @param offset the timestamp of media time 0, taken modulo 2^32
 */
public record RtpClock(int clockRate, long offset) {

  public static final int VIDEO_CLOCK_RATE = 90_000;

  public RtpClock {
    if (clockRate <= 0) {
      throw new IllegalArgumentException("RTP clock rate " + clockRate);
    }
    offset &= 0xFFFF_FFFFL;
  }

  /** A 90 kHz clock. */
  public static RtpClock video(long offset) {
    return new RtpClock(VIDEO_CLOCK_RATE, offset);
  }

  /** The 32-bit timestamp of {@code millis} (which may be negative), rounded down to a tick. */
  public long timestamp(long millis) {
    return (offset + Math.floorDiv(millis * clockRate, 1000)) & 0xFFFF_FFFFL;
  }

  /** A video frame's timestamp: its presentation time, decoding time plus composition offset. */
  public long timestamp(long dtsMillis, int ctsMillis) {
    return timestamp(dtsMillis + ctsMillis);
  }

  /** As {@link #timestamp(long)} for a clock of {@code clockRate} from {@code offset}. */
  public static long timestamp(int clockRate, long offset, long millis) {
    return new RtpClock(clockRate, offset).timestamp(millis);
  }
}
