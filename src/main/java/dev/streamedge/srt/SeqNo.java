package dev.streamedge.srt;

/**
 * 31-bit packet sequence numbers (§3.1: the data packet's Packet Sequence Number), which wrap from
 * 2^31-1 to 0. Comparison is serial-number arithmetic: the shorter way round the circle wins.
 */
public final class SeqNo {

  /** The largest sequence number. */
  public static final int MAX = 0x7FFFFFFF;

  private SeqNo() {
  }

  /** {@code seq + 1}, wrapping. */
  public static int next(int seq) {
    return (seq + 1) & MAX;
  }

  /** {@code seq + delta}, wrapping; delta may be negative. */
  public static int add(int seq, int delta) {
    return (seq + delta) & MAX;
  }

  /**
   * How far {@code to} is after {@code from}: in [-2^30, 2^30), negative when {@code to} is before.
   */
  public static int offset(int from, int to) {
    // Shift the 31-bit difference into the top bits so that the sign is the circle's direction.
    return ((to - from) << 1) >> 1;
  }

  /** Negative, zero or positive as {@code a} is before, equal to or after {@code b}. */
  public static int compare(int a, int b) {
    return Integer.signum(offset(b, a));
  }
}
