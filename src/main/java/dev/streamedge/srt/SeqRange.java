package dev.streamedge.srt;

/** Sequence numbers {@code from} to {@code to}, both included, in circle order (§3.2.5 loss list). */
public record SeqRange(int from, int to) {

  public SeqRange {
    if ((from & ~SeqNo.MAX) != 0 || (to & ~SeqNo.MAX) != 0 || SeqNo.offset(from, to) < 0) {
      throw new IllegalArgumentException("bad range " + from + ".." + to);
    }
  }

  /** The range of one sequence number. */
  public static SeqRange of(int seq) {
    return new SeqRange(seq, seq);
  }

  /** How many sequence numbers it holds. */
  public int count() {
    return SeqNo.offset(from, to) + 1;
  }
}
