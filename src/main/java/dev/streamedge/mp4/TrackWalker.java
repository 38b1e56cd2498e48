package dev.streamedge.mp4;

import java.util.Arrays;

/**
 * One track's samples in order from a starting sample: where it is in each table's current run (stts,
 * ctts, stsc) and in the current chunk, advanced by one sample at a time in constant time. Placed once
 * by binary searches over the runs, plus the sizes of the samples before it in its chunk.
 */
final class TrackWalker {

  private final Track track;
  /** Milliseconds added to every time: the index's common shift that keeps all times non-negative. */
  private final long shiftMillis;
  private int sample;
  private int stts;
  private int sttsLeft;
  private long dts;
  private int ctts;
  private int cttsLeft;
  private int sync;
  private int stsc;
  private int chunk;
  private int chunkLeft;
  private long offset;
  private long nextMillis;

  TrackWalker(Track track, int from, long shiftMillis) {
    this.track = track;
    this.shiftMillis = shiftMillis;
    this.sample = from;
    if (from >= track.samples) {
      return;
    }
    stts = Track.run(track.sttsFirst, from);
    int intoStts = from - track.sttsFirst[stts];
    sttsLeft = track.sttsCount[stts] - intoStts;
    dts = track.sttsDts[stts] + intoStts * Integer.toUnsignedLong(track.sttsDelta[stts]);
    if (track.cttsFirst != null) {
      ctts = Track.run(track.cttsFirst, from);
      cttsLeft = track.cttsCount[ctts] - (from - track.cttsFirst[ctts]);
    }
    if (track.sync != null) {
      int at = Arrays.binarySearch(track.sync, from);
      sync = at >= 0 ? at : -at - 1;
    }
    stsc = Track.run(track.stscFirst, from);
    long intoRun = from - track.stscFirst[stsc];
    int perChunk = track.stscPerChunk[stsc];
    chunk = track.stscChunk[stsc] + (int) (intoRun / perChunk);
    int intoChunk = (int) (intoRun % perChunk);
    chunkLeft = perChunk - intoChunk;
    offset = track.chunkOffsets[chunk];
    for (int i = from - intoChunk; i < from; i++) {
      offset += track.size(i);
    }
    nextMillis = track.millis(dts) + shiftMillis;
  }

  boolean hasNext() {
    return sample < track.samples;
  }

  /** The next sample's timestamp; only while {@link #hasNext()}. */
  long nextMillis() {
    return nextMillis;
  }

  /** The next sample; only while {@link #hasNext()}. */
  Mp4Sample next() {
    int size = track.size(sample);
    int composition = 0;
    if (track.video && track.cttsOffset != null) {
      long pts = track.millis(dts + track.cttsOffset[ctts]) + shiftMillis;
      composition = (int) (pts - nextMillis);
    }
    Mp4Sample found = new Mp4Sample(track.video, nextMillis, composition, keyframe(), offset, size);
    skip();
    return found;
  }

  /** The next sample's decode time in media units, as the tables have it; only while {@link #hasNext()}. */
  long dts() {
    return dts;
  }

  /** The next sample's composition offset in media units (ctts), 0 without one; only while {@link #hasNext()}. */
  int compositionOffset() {
    return track.cttsOffset == null ? 0 : track.cttsOffset[ctts];
  }

  /** Where the next sample is in the file; only while {@link #hasNext()}. */
  long offset() {
    return offset;
  }

  int size() {
    return track.size(sample);
  }

  /** Whether the next sample is a sync sample: every audio sample is. Only while {@link #hasNext()}. */
  boolean keyframe() {
    return !track.video || track.sync == null || sync < track.sync.length && track.sync[sync] == sample;
  }

  /** Goes past the next sample; only while {@link #hasNext()}. */
  void skip() {
    if (track.sync != null && sync < track.sync.length && track.sync[sync] == sample) {
      sync++;
    }
    advance(track.size(sample));
  }

  private void advance(int size) {
    if (++sample >= track.samples) {
      return;
    }
    dts += Integer.toUnsignedLong(track.sttsDelta[stts]);
    if (--sttsLeft == 0) {
      stts++;
      sttsLeft = track.sttsCount[stts];
    }
    if (track.cttsCount != null && --cttsLeft == 0) {
      ctts++;
      cttsLeft = track.cttsCount[ctts];
    }
    offset += size;
    if (--chunkLeft == 0) {
      chunk++;
      if (stsc + 1 < track.stscChunk.length && chunk == track.stscChunk[stsc + 1]) {
        stsc++;
      }
      chunkLeft = track.stscPerChunk[stsc];
      offset = track.chunkOffsets[chunk];
    }
    nextMillis = track.millis(dts) + shiftMillis;
  }
}
