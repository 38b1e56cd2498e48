package dev.streamedge.dash;

/**
 * Places the segments of one packager on the wall clock, Period by Period. The first segment's wall clock
 * (when its first frame came) is the MPD's availabilityStartTime, so a segment becomes available
 * (ISO/IEC 23009-1 §5.3.9.5.3: at its end) about when the packager finished it. A new Period starts where
 * the media timeline stops following the wall clock: after a gap (the publisher left and came back; HLS's
 * discontinuity) or with a new run (new codec configurations, new init segments). It starts at its first
 * segment's wall clock, never before the previous Period ends (§5.3.2.1: Periods do not overlap). Pure;
 * used on one thread.
 */
public final class DashPeriods {

  private DashPeriod current;
  private long currentInitId;
  /** Where the current Period's media ends so far, in milliseconds from the anchor. */
  private long currentEndMillis;

  /**
   * The Period of the segment just finished.
   *
   * @param discontinuous whether the segment follows a gap (HLS's EXT-X-DISCONTINUITY)
   * @param wallClockMillis when its first frame came, epoch milliseconds
   * @param video its video, or null; {@code video} or {@code audio} is not null
   */
  public DashPeriod periodOf(long number, DashRun run, boolean discontinuous, long wallClockMillis, DashTrack video,
      DashTrack audio) {
    if (current == null || discontinuous || run.initId() != currentInitId) {
      long anchor = current == null ? wallClockMillis : current.anchorMillis();
      long start = current == null ? 0 : Math.max(currentEndMillis, wallClockMillis - anchor);
      // The Period starts where every track has something to show: a player starting there (dash.js when a
      // stream is younger than its delay) found no video at the audio's first sample, or at the video's
      // first decode time (B-frames show the keyframe later), and waited for good.
      long videoOffset = 0;
      long audioOffset;
      if (video == null) {
        audioOffset = audio.presentationStart();
      } else {
        videoOffset = video.presentationStart();
        if (audio != null) {
          videoOffset = Math.max(videoOffset,
              Math.floorDiv(audio.presentationStart() * DashRun.VIDEO_TIMESCALE, run.audioTimescale()));
        }
        audioOffset = Math.floorDiv(videoOffset * run.audioTimescale(), DashRun.VIDEO_TIMESCALE);
      }
      current = new DashPeriod(number, anchor, start, videoOffset, audioOffset);
      currentInitId = run.initId();
    }
    long mediaEndMillis = video != null
        ? (video.end() - current.videoOffset()) * 1000 / DashRun.VIDEO_TIMESCALE
        : (audio.end() - current.audioOffset()) * 1000 / run.audioTimescale();
    currentEndMillis = Math.max(currentEndMillis, current.startMillis() + mediaEndMillis);
    return current;
  }
}
