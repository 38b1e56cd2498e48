package dev.streamedge.stream;

/**
 * When the media behind a player's written bytes came in, sampled: a bounded ring of marks, each the
 * count of bytes written before a packet and the time that packet counts as received. It turns a count
 * of bytes the peer has not yet acknowledged into how long ago, at least, the oldest of them was
 * received. Marks are taken at most one per interval, so while media flows the answer is late by about
 * an interval. Used on the player's context only.
 */
final class WriteMarks {

  /** Marks kept: with a mark per {@code maxBehind / 32}, twice the longest lag that is still allowed. */
  static final int CAPACITY = 64;
  private static final int MASK = CAPACITY - 1;

  private final long[] offsets = new long[CAPACITY];
  private final long[] nanos = new long[CAPACITY];
  private final long intervalNanos;
  private long nextNanos = Long.MIN_VALUE;
  /** Where the next mark goes. */
  private int head;
  private int count;

  WriteMarks(long intervalNanos) {
    this.intervalNanos = intervalNanos;
  }

  /** Whether a mark is due for media received at {@code receivedNanos}: the last is an interval old. */
  boolean due(long receivedNanos) {
    return receivedNanos >= nextNanos;
  }

  /** Notes that the bytes from {@code offset} on were written for media received at {@code receivedNanos}. */
  void add(long offset, long receivedNanos) {
    nextNanos = receivedNanos + intervalNanos;
    offsets[head] = offset;
    nanos[head] = receivedNanos;
    head = (head + 1) & MASK;
    if (count < CAPACITY) {
      count++;
    }
  }

  /**
   * The time by which the media of the byte at {@code offset} had been received: that of the earliest mark
   * at or after it, since media is written in the order it is received. {@code otherwise} when no mark
   * follows the byte (it was written since the latest mark).
   *
   * <p>Dating a byte by the mark after it, not the one before, is what keeps the few bytes that are no
   * media (commands, HTTP chunk and WebSocket frame headers, TLS records) from making a player look
   * behind: counted as media, they can only move the byte back by as much, and never across a pause of
   * the stream to a mark taken before it.
   */
  long receivedBy(long offset, long otherwise) {
    int index = (head - count) & MASK;
    for (int i = 0; i < count; i++, index = (index + 1) & MASK) {
      if (offsets[index] >= offset) {
        return nanos[index];
      }
    }
    return otherwise;
  }
}
