package dev.streamedge.mp4;

import java.nio.ByteBuffer;

/**
 * What a track's edit list (ISO/IEC 14496-12 §8.6.6 elst) does to its timeline, as players read the
 * common cases: a leading empty edit (media_time -1) delays the track by its segment_duration, in the
 * movie's timescale; the first edit with media is where presentation starts in the media, its media_time
 * taken off every time (ffmpeg writes the B-frame delay or AAC's priming there). Later edits, which cut
 * or repeat media, are not followed.
 */
final class EditList {

  private EditList() {
  }

  /** {shift, delay} in media units; zeros without an edit list. */
  static long[] read(ByteBuffer edts, long movieTimescale, long mediaTimescale) throws Mp4FormatException {
    ByteBuffer elst = edts == null ? null : Boxes.child(edts, "elst", "edts");
    if (elst == null) {
      return new long[] {0, 0};
    }
    Boxes.need(elst, 8, "elst");
    boolean wide = elst.get(0) == 1;
    int entrySize = wide ? 20 : 12;
    long entries = Boxes.u32(elst, 4);
    Boxes.need(elst, 8 + entries * entrySize, "elst");
    long delay = 0;
    for (int i = 0; i < Math.min(entries, 2); i++) {
      int at = 8 + i * entrySize;
      long duration = wide ? elst.getLong(at) : Boxes.u32(elst, at);
      long mediaTime = wide ? elst.getLong(at + 8) : elst.getInt(at + 4);
      if (mediaTime == -1 && i == 0) {
        if (movieTimescale == 0 || duration < 0 || duration > TrackReader.TIME_LIMIT) {
          throw new Mp4FormatException("empty edit of " + duration + " in movie timescale " + movieTimescale);
        }
        delay = scale(duration, mediaTimescale, movieTimescale);
        continue;
      }
      if (mediaTime < 0 || mediaTime > TrackReader.TIME_LIMIT) {
        throw new Mp4FormatException("edit media_time " + mediaTime + " out of range");
      }
      return new long[] {mediaTime, delay};
    }
    return new long[] {0, delay};
  }

  /** {@code value * to / from}, rounded down, without overflow: value below 2^48, the scales below 2^32. */
  private static long scale(long value, long to, long from) throws Mp4FormatException {
    long whole = value / from;
    if (whole > TrackReader.TIME_LIMIT / to) {
      throw new Mp4FormatException("empty edit of " + value + " units too long");
    }
    // The remainder times a scale is below 2^64: exact as an unsigned long.
    long scaled = whole * to + Long.divideUnsigned(value % from * to, from);
    if (scaled > TrackReader.TIME_LIMIT) {
      throw new Mp4FormatException("empty edit of " + value + " units too long");
    }
    return scaled;
  }
}
