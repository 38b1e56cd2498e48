package dev.streamedge.mp4;

/**
 * The samples of an {@link Mp4Index} from a seek point on, both tracks merged in timestamp order: the
 * earlier of the two tracks' next samples each time, video first when they are equal. Constant time per
 * sample; not thread-safe (one play reads it, on one worker at a time).
 */
public final class Mp4Cursor implements SampleCursor {

  private final TrackWalker video;
  private final TrackWalker audio;

  Mp4Cursor(TrackWalker video, TrackWalker audio) {
    this.video = video;
    this.audio = audio;
  }

  /** The next sample, or null after the last; never blocks (the tables are in memory). */
  @Override
  public Mp4Sample next() {
    boolean hasVideo = video != null && video.hasNext();
    boolean hasAudio = audio != null && audio.hasNext();
    if (hasVideo && (!hasAudio || video.nextMillis() <= audio.nextMillis())) {
      return video.next();
    }
    return hasAudio ? audio.next() : null;
  }
}
