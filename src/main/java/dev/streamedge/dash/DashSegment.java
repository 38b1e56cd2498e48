package dev.streamedge.dash;

/**
 * One segment of a stream as DASH serves it: each of its tracks alone.
 *
 * @param number the HLS media sequence number of the same segment
 * @param video the video track's fragments, or null when the segment has none
 * @param audio the audio track's fragments, or null when the segment has none
 */
public record DashSegment(long number, DashRun run, DashPeriod period, DashTrack video, DashTrack audio) {

  /** The track of this segment that starts at {@code time}, or null. */
  public DashTrack track(boolean videoTrack, long time) {
    DashTrack track = videoTrack ? video : audio;
    return track != null && track.start() == time ? track : null;
  }
}
