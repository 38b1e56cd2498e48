package dev.streamedge.dash;

import io.vertx.core.buffer.Buffer;

/**
 * One track of one segment, alone: its fragments back to back. Shared by every request that sends it:
 * nobody may modify {@code data}.
 *
 * @param data moof + mdat fragments of this track only
 * @param start decode time of its first sample ({@code tfdt}), in the track's timescale: the
 *     SegmentTimeline's {@code S@t} and the {@code $Time$} of its URL
 * @param duration to where the next segment of the track starts, in the track's timescale
 * @param presentationStart when its first sample is shown (B-frames show a keyframe after its decode time),
 *     in the track's timescale
 */
public record DashTrack(Buffer data, long start, long duration, long presentationStart) {

  /** A track whose first sample is shown at its decode time (audio, video without B-frames). */
  public DashTrack(Buffer data, long start, long duration) {
    this(data, start, duration, start);
  }

  public long end() {
    return start + duration;
  }

  /** Sizes, not contents: the bytes may have been let go of. */
  @Override
  public String toString() {
    return "DashTrack[start=" + start + ", duration=" + duration + ", presentationStart=" + presentationStart + ", "
        + data.length() + " bytes]";
  }
}
