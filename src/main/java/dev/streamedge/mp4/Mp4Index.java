package dev.streamedge.mp4;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The index of a progressive MP4 file (ISO/IEC 14496-12): its first H.264 ({@code avc1}) track and its
 * first AAC ({@code mp4a}) track, their codec configurations and sample tables, read from the
 * {@code moov} box wherever it is in the file. Other tracks are left out. Blocking reads, for a worker
 * thread: the top-level box headers up to {@code moov} (one small read each), then {@code moov} whole.
 *
 * <p>Timeline: a sample's decode time in media units, less its track's edit list media_time, plus the
 * edit list's leading empty edit, in milliseconds rounded down; then every track moved by one common
 * amount, the least that makes every decode and presentation time non-negative (so a file with no edit
 * list starts its video at 0). {@link #durationMillis()} is before that common move.
 *
 * <p>Immutable once read: plays of the same file may share it, each with cursors of its own.
 */
public final class Mp4Index implements Mp4Samples {

  /** Reads a file at a position, as {@code FileChannel.read(ByteBuffer, long)} does. */
  public interface Source {
    /**
     * Bytes read into {@code into} from {@code position}, or -1 at the end of the file (0, which a file
     * channel never returns for a buffer with room, is taken as the end too, so a read cannot spin).
     */
    int read(ByteBuffer into, long position) throws IOException;
  }

  private final Track video;
  private final Track audio;
  private final long shiftMillis;

  private Mp4Index(Track video, Track audio) {
    this.video = video;
    this.audio = audio;
    long lowest = 0;
    for (Track track : new Track[] {video, audio}) {
      if (track != null) {
        // Audio's presentation is its decode time here (compositionOffset 0): only video's ctts counts.
        long first = track.millis(0);
        lowest = Math.min(lowest, track.video ? Math.min(first, track.millis(track.minPts)) : first);
      }
    }
    this.shiftMillis = -lowest;
  }

  /**
   * Reads the index of the {@code length}-byte {@code file}, refusing a {@code moov} box of more than
   * {@code maxIndexBytes}; a file that is no MP4 this can play fails with an {@link Mp4FormatException}.
   */
  public static Mp4Index read(Source file, long length, int maxIndexBytes) throws IOException {
    return of(Movie.find(file, length, maxIndexBytes).body(), length);
  }

  /** The index of the moov payload {@code moov} of a {@code length}-byte file. */
  static Mp4Index of(ByteBuffer moov, long length) throws Mp4FormatException {
    Movie.Kept<Track> kept = Movie.tracks(moov, track -> TrackReader.read(track.video(), track.config(),
        track.timescale(), track.shift(), track.delay(), track.stbl(), length));
    if (kept.video() == null && kept.audio() == null) {
      throw new Mp4FormatException("no H.264 or AAC track with samples in " + kept.traks() + " tracks");
    }
    return new Mp4Index(kept.video(), kept.audio());
  }

  /** The video track's tables, or null. */
  Track video() {
    return video;
  }

  /** The audio track's tables, or null. */
  Track audio() {
    return audio;
  }

  /** The longest track's presentation, from its edited start to its last sample's end, milliseconds. */
  @Override
  public long durationMillis() {
    long longest = 0;
    for (Track track : new Track[] {video, audio}) {
      if (track != null) {
        longest = Math.max(longest, track.millis(track.maxEnd));
      }
    }
    return longest;
  }

  /** The AVC sequence header's VideoTagBody (FLV spec v10.1 §E.4.3.1), a fresh copy; null without video. */
  @Override
  public ByteBuf videoConfig() {
    return video == null ? null : Unpooled.copiedBuffer(video.config);
  }

  /** The AAC sequence header's AudioTagBody (§E.4.2.1), a fresh copy; null without audio. */
  @Override
  public ByteBuf audioConfig() {
    return audio == null ? null : Unpooled.copiedBuffer(audio.config);
  }

  /**
   * The samples from {@code fromMillis}: video from its last sync sample at or before it, audio from the
   * first sample at or after that one's time; without video, audio from its last sample at or before it.
   * 0 (or less), or a time before the first sync sample, starts both tracks at their first sample: the
   * file's start.
   */
  @Override
  public Mp4Cursor cursor(long fromMillis) {
    int videoFrom = 0;
    int audioFrom = 0;
    if (fromMillis > 0 && video != null) {
      int key = video.lastSyncAtOrBefore(fromMillis - shiftMillis);
      if (key >= 0) {
        videoFrom = key;
        long time = video.millis(video.dts(key)) + shiftMillis;
        audioFrom = audio == null ? 0 : audio.firstAtOrAfter(time - shiftMillis);
      }
    } else if (fromMillis > 0) {
      audioFrom = Math.max(0, audio.lastAtOrBefore(fromMillis - shiftMillis));
    }
    return new Mp4Cursor(video == null ? null : new TrackWalker(video, videoFrom, shiftMillis),
        audio == null ? null : new TrackWalker(audio, audioFrom, shiftMillis));
  }

  /** How many samples the kept tracks have, together. */
  int samples() {
    return (video == null ? 0 : video.samples) + (audio == null ? 0 : audio.samples);
  }
}
