package dev.streamedge.hls;

/**
 * Decides where a live stream is cut into segments and, for LL-HLS, into parts; writes nothing.
 * Called at every frame of the cue track (video, or audio when there is no video), it answers
 * whether the open segment or part ends before that frame. Pure; used on one thread.
 *
 * <p>Segments (RFC 8216 §6.2.1): a segment ends at the first keyframe (any audio frame without
 * video) at which the configured target duration has passed, within one frame. The target duration
 * of the playlist is fixed by the first segment as the larger of the configured target and that
 * segment's duration rounded up, and never changes. When keyframes are further apart, a segment is
 * cut at the frame beyond which it would round above the target (§4.3.3.1), so such a segment does
 * not start with a keyframe. A segment is also cut once it holds {@code maxSegmentBytes}.
 *
 * <p>Parts (RFC 8216bis §4.4.4.9): each part lasts at most the playlist's PART-TARGET and, unless it
 * starts with a keyframe or ends its segment, at least 85% of it. A part is a whole number of frames,
 * and 85% leaves room for less than one frame at common rates (at 30 fps a 200 ms target allows 6
 * frames and no fewer), so the advertised target follows the frame rate: the stream's first part ends
 * at the frame nearest the configured target, and the advertised target is that part's duration plus
 * 1 ms (millisecond timestamps of 29.97 fps put 200 or 201 ms between six frames). Every later part
 * ends before the frame that, at the mean recent interval, would take it beyond the advertised target.
 * The advertised target never changes afterwards (a player may take a change for an error); if no part
 * was cut before the first segment ends, it is the configured one. A segment cut ends its part too.
 */
final class HlsSegmenter {

  /** What happens before the frame at hand. */
  enum Cut {
    /** The frame continues the open part. */
    NONE,
    /** No segment was open: the frame starts the first one (of the stream, or after a stop). */
    FIRST,
    /** The open part ends; the frame starts the next part of the same segment. */
    PART,
    /** The open segment ends; the frame starts the next one. */
    SEGMENT,
    /** Time ran backwards or jumped: the segment ends after its last frame, and the next is discontinuous. */
    GAP
  }

  /** §4.3.3.1: an EXTINF rounded to the nearest integer must not exceed the target duration. */
  private static final long ROUNDING_MILLIS = 500;
  /** Frame interval assumed before two frames have been seen: 25 fps. */
  static final long DEFAULT_INTERVAL_MILLIS = 40;
  /** A larger step between frames is a gap, not a frame rate. */
  private static final long MAX_INTERVAL_MILLIS = 1000;
  /** How many recent frame intervals bound the next one, for part cuts. */
  private static final int RECENT_INTERVALS = 4;

  private final long targetMillis;
  private final int configuredTargetSeconds;
  private final long maxSegmentBytes;
  private final long partTargetMillis;
  /** The PART-TARGET the playlist states; 0 until fixed (see the class comment). */
  private long advertisedPartMillis;
  private final long[] recentIntervals = new long[RECENT_INTERVALS];
  private int recentIndex;
  private int recentCount;
  /** 0 until the first segment is finished; then the EXT-X-TARGETDURATION for good. */
  private int targetSeconds;
  private boolean open;
  private long openDts;
  private long partDts;
  /** DTS of the last frame of the cue track. */
  private long lastCueDts;
  private long cueInterval;

  /**
   * @param partTargetMillis the wanted part duration; 0 for no parts
   */
  HlsSegmenter(long targetMillis, long maxSegmentBytes, long partTargetMillis) {
    this.targetMillis = targetMillis;
    this.configuredTargetSeconds = (int) Math.max(1, (targetMillis + 999) / 1000);
    this.maxSegmentBytes = maxSegmentBytes;
    this.partTargetMillis = partTargetMillis;
  }

  /**
   * Where the frame at {@code dts} goes.
   *
   * @param syncPoint whether a segment may start with this frame (a keyframe, or any audio frame)
   * @param segmentBytes bytes of the open segment so far, in its largest variant
   * @param defaultInterval the frame interval to assume before two frames were seen
   */
  Cut cue(long dts, boolean syncPoint, long segmentBytes, long defaultInterval) {
    if (!open) {
      if (cueInterval == 0) {
        cueInterval = defaultInterval;
      }
      begin(dts);
      return Cut.FIRST;
    }
    long elapsed = dts - openDts;
    long limit = targetSeconds * 1000L + ROUNDING_MILLIS;
    if (dts < lastCueDts || targetSeconds > 0 && elapsed >= limit) {
      return Cut.GAP; // the caller finishes at segmentEnd() and begins the next with begin()
    }
    if (dts > lastCueDts && dts - lastCueDts <= MAX_INTERVAL_MILLIS) {
      cueInterval = dts - lastCueDts;
      recentIntervals[recentIndex] = cueInterval;
      recentIndex = (recentIndex + 1) % RECENT_INTERVALS;
      recentCount = Math.min(recentCount + 1, RECENT_INTERVALS);
    }
    boolean targetReached = syncPoint && elapsed + cueInterval > targetMillis;
    boolean wouldExceed = targetSeconds > 0 && elapsed + cueInterval >= limit;
    boolean full = elapsed > 0 && segmentBytes >= maxSegmentBytes;
    if (targetReached || wouldExceed || full) {
      begin(dts);
      return Cut.SEGMENT;
    }
    lastCueDts = dts;
    if (partTargetMillis > 0 && dts > partDts && partEndsBefore(dts - partDts)) {
      if (advertisedPartMillis == 0) {
        advertisedPartMillis = dts - partDts + 1;
      }
      partDts = dts;
      return Cut.PART;
    }
    return Cut.NONE;
  }

  /** Opens a segment (and its first part) at {@code dts}: after {@link Cut#GAP}, or at the first frame. */
  void begin(long dts) {
    open = true;
    openDts = dts;
    partDts = dts;
    lastCueDts = dts;
  }

  /** No segment is open any more (the run ended); the next frame is {@link Cut#FIRST}. */
  void close() {
    open = false;
  }

  boolean isOpen() {
    return open;
  }

  /** DTS of the open segment's first frame. */
  long openDts() {
    return openDts;
  }

  /** DTS of the open part's first frame. */
  long partDts() {
    return partDts;
  }

  /** Where the open segment ends when it is finished without a next frame: after its last one. */
  long segmentEnd() {
    return lastCueDts + cueInterval;
  }

  /** The interval between the last two frames of the cue track: how long the last frame lasts. */
  long cueInterval() {
    return cueInterval;
  }

  /** Records a finished segment's duration: the first one fixes the target duration. */
  void finished(long durationMillis) {
    if (targetSeconds == 0) {
      targetSeconds = (int) Math.max(configuredTargetSeconds, (durationMillis + 999) / 1000);
    }
    if (advertisedPartMillis == 0) {
      advertisedPartMillis = partTargetMillis;
    }
  }

  /** EXT-X-TARGETDURATION in seconds, 0 before the first segment. */
  int targetSeconds() {
    return targetSeconds;
  }

  /**
   * The part target a playlist states (EXT-X-PART-INF), in milliseconds: the configured one until the
   * first part or segment is cut, then the one that fits the frame rate; 0 without parts.
   */
  long partTargetMillis() {
    return advertisedPartMillis > 0 ? advertisedPartMillis : partTargetMillis;
  }

  /** Whether the open part, {@code elapsed} ms long before the frame at hand, ends before it. */
  private boolean partEndsBefore(long elapsed) {
    double interval = meanRecentInterval();
    if (advertisedPartMillis == 0) {
      return elapsed + interval / 2 >= partTargetMillis; // the frame nearest the configured target
    }
    return elapsed + interval > advertisedPartMillis;
  }

  private double meanRecentInterval() {
    if (recentCount == 0) {
      return cueInterval;
    }
    long sum = 0;
    for (int i = 0; i < recentCount; i++) {
      sum += recentIntervals[i];
    }
    return (double) sum / recentCount;
  }
}
