package dev.streamedge.rtp.receive;

import java.util.Arrays;
import java.util.Objects;

/**
 * Decode times for video frames that arrive in decoding order with presentation times only, as RTP
 * carries them (the RTP timestamp is the sampling instant: RFC 6184 §5.1, RFC 7798 §4.1), while FLV
 * and the stream core need a DTS per frame and the composition offset PTS - DTS.
 *
 * <p>With a reorder depth d (max_num_reorder_frames of an H.264 SPS, §E.2.1; sps_max_num_reorder_pics
 * of an H.265 one, §7.4.3.2.1) no more than d frames precede a frame in decoding order and follow it
 * in output order. So the (d+1)-th largest PTS among all frames so far is never above the frame's
 * own PTS, and it grows with every frame of a new PTS: it is the DTS, as libavformat's
 * compute_pkt_fields guesses one from its buffer of PTS. It needs d+1 frames, so the first d are held
 * until then (the only latency added) and get DTS below the (d+1)-th's, an estimated frame duration
 * apart.
 *
 * <p>Input that breaks the assumption does not stop the output: a frame whose PTS is below its
 * computed DTS shows a deeper reordering, so the depth grows (up to {@code maxDepth}) and the DTS is
 * clamped to the PTS or, if the last DTS is already there, one tick past the last DTS (a negative
 * composition offset); such frames are counted in {@link #reordered()}. A PTS more than
 * {@link #JUMP_TICKS} past the largest, or below all of the maxDepth + 1 largest (before there are
 * that many, more than JUMP_TICKS below them: leading frames of an open GOP come below the first),
 * starts a new timeline; when it goes backwards, later times are moved forward by
 * {@link #shift()} so that the DTS still grows. Memory is bounded: maxDepth + 1 PTS values and the
 * frames held at the start. No clock, no thread: calls come from one thread, in decoding order.
 *
 * @param <T> the frame, handed to the sink untouched
 */
public final class DecodeTimes<T> {

  /** Receives each frame once, in decoding order, with strictly increasing {@code dts}. */
  public interface Sink<T> {
    /**
     * @param dts decode time in the input's ticks
     * @param pts the frame's presentation time plus {@link DecodeTimes#shift()} (zero unless the
     *     input went back)
     */
    void frame(long dts, long pts, T frame);
  }

  /** A forward step past the largest PTS greater than this starts a new timeline: 10 s at 90 kHz. */
  public static final long JUMP_TICKS = 10 * 90_000L;
  /** H.264 and H.265 reorder at most 16 frames; the bound is generous to catch a wrong argument. */
  private static final int MAX_MAX_DEPTH = 64;

  private final int maxDepth;
  private final Sink<T> out;
  private int depth;
  /** The largest PTS of the current timeline, ascending; {@code count} of them are valid. */
  private final long[] largest;
  private int count;
  /** Until the first frames are released, the frames held and their PTS. */
  private boolean starting = true;
  private final long[] heldPts;
  private final Object[] heldFrames;
  private int held;
  private boolean emitted;
  private long lastDts;
  /** Estimated frame duration: the mean spacing of the largest PTS values, at least a tick. */
  private long frameTicks = 1;
  private long shift;
  private long reordered;

  /**
   * @param depth the reorder depth known from the SPS (0 when none); above maxDepth it is maxDepth
   * @param maxDepth the bound on the depth, e.g. 16, the most either codec allows
   * @param out where the frames go, from within {@link #frame}, {@link #depth(int)} and {@link #flush}
   */
  public DecodeTimes(int depth, int maxDepth, Sink<T> out) {
    if (maxDepth < 0 || maxDepth > MAX_MAX_DEPTH) {
      throw new IllegalArgumentException("maxDepth " + maxDepth + " outside 0.." + MAX_MAX_DEPTH);
    }
    this.maxDepth = maxDepth;
    this.out = Objects.requireNonNull(out, "out");
    this.largest = new long[maxDepth + 1];
    this.heldPts = new long[maxDepth + 1];
    this.heldFrames = new Object[maxDepth + 1];
    depth(depth);
  }

  /** A frame in decode order with its presentation time (already unwrapped, in clock ticks, e.g. 90 kHz). */
  public void frame(long pts, T frame) {
    if (count > 0 && jumps(pts)) {
      if (starting) {
        release();
      }
      newTimeline(pts);
    }
    if (starting) {
      insert(pts);
      heldPts[held] = pts;
      heldFrames[held++] = frame;
      if (held > depth) {
        release();
      }
      return;
    }
    int above = countAbove(pts);
    insert(pts);
    long computed = depth < count ? largest[count - 1 - depth] : largest[0] - (depth + 1L - count) * frameTicks;
    boolean broke = false;
    if (pts < computed) { // more than depth frames before this one come after it
      broke = true;
      depth = Math.min(maxDepth, above);
      computed = pts;
    }
    broke |= emit(computed + shift, pts + shift, frame);
    if (broke) {
      reordered++;
    }
  }

  /** Emits frames still held (end of stream); frames after this are not held. */
  public void flush() {
    if (starting && held > 0) {
      release();
    }
    starting = false;
  }

  /** The SPS changed: a new depth (may grow or shrink), held to 0..maxDepth. */
  public void depth(int depth) {
    if (depth < 0) {
      throw new IllegalArgumentException("reorder depth " + depth);
    }
    this.depth = Math.min(depth, maxDepth);
    if (starting && held > this.depth) {
      release();
    }
  }

  public int depth() {
    return depth;
  }

  /** Frames that came with more reordering than the depth allowed or got a DTS above their PTS. */
  public long reordered() {
    return reordered;
  }

  /** Ticks added to every time since the input's PTS went back to a new timeline, 0 before. */
  public long shift() {
    return shift;
  }

  /** Whether {@code pts} cannot belong to the timeline of the PTS values kept. */
  private boolean jumps(long pts) {
    long low = largest[0];
    return pts - largest[count - 1] > JUMP_TICKS
        || pts < low && (count == largest.length || low - pts > JUMP_TICKS);
  }

  /** Forgets the old timeline; if {@code pts} went back, shifts the new one to go on after the last DTS. */
  private void newTimeline(long pts) {
    count = 0;
    long firstDts = pts - depth * frameTicks; // as frame() computes it for the first PTS
    if (emitted) {
      shift = Math.max(shift, lastDts + frameTicks - firstDts);
    }
  }

  /**
   * The held frames: the last gets the smallest held PTS (the (d+1)-th largest of d+1), those
   * before it the mean spacing of the held PTS apart, so that each DTS is below its PTS.
   */
  private void release() {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < held; i++) {
      min = Math.min(min, heldPts[i]);
      max = Math.max(max, heldPts[i]);
    }
    if (held > 1) {
      frameTicks = Math.max(1, (max - min) / (held - 1));
    }
    starting = false;
    for (int i = 0; i < held; i++) {
      @SuppressWarnings("unchecked")
      T frame = (T) heldFrames[i];
      heldFrames[i] = null;
      if (emit(min - (held - 1L - i) * frameTicks + shift, heldPts[i] + shift, frame)) {
        reordered++;
      }
    }
    held = 0;
  }

  /** Hands a frame over with its DTS kept above the last; true when that put the DTS above the PTS. */
  private boolean emit(long dts, long pts, T frame) {
    boolean late = false;
    if (emitted && dts <= lastDts) {
      dts = lastDts + 1;
      late = dts > pts;
    }
    emitted = true;
    lastDts = dts;
    out.frame(dts, pts, frame);
    return late;
  }

  private int countAbove(long pts) {
    int above = 0;
    for (int i = count - 1; i >= 0 && largest[i] > pts; i--) {
      above++;
    }
    return above;
  }

  /**
   * Keeps {@code pts} if it is among the largest, then re-estimates the frame duration if there
   * are more values than the depth (fewer, as at the start of a timeline, span too few frames).
   */
  private void insert(long pts) {
    if (count == largest.length) {
      if (pts <= largest[0]) {
        return;
      }
      System.arraycopy(largest, 1, largest, 0, --count);
    }
    int at = Arrays.binarySearch(largest, 0, count, pts);
    at = at < 0 ? -at - 1 : at;
    System.arraycopy(largest, at, largest, at + 1, count - at);
    largest[at] = pts;
    count++;
    if (count > 1 && count > depth) {
      frameTicks = Math.max(1, (largest[count - 1] - largest[0]) / (count - 1));
    }
  }
}
