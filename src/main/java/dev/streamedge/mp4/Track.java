package dev.streamedge.mp4;

import java.util.Arrays;

/**
 * One track's sample tables, compact as the file has them: an array per column of each table's entries
 * (ISO/IEC 14496-12 §8.6.1.2 stts, §8.6.1.3 ctts, §8.6.2 stss, §8.7.4 stsc, §8.7.3 stsz, §8.7.5 stco),
 * with each run's first sample (and the time or chunk it starts at) summed once, so that a sample's place
 * is a binary search. Entries with a count of 0 are left out. Checked by {@link TrackReader}: the runs
 * cover every sample, every chunk index is in range, every sample is within the file.
 */
final class Track {

  final boolean video;
  /** The FLV sequence header's body: the tag header bytes, then avcC or the AudioSpecificConfig. */
  final byte[] config;
  /** mdhd's units per second. */
  final long timescale;
  /** The edit list's media_time (taken off every time) and empty edit (added), in media units. */
  final long shift;
  final long delay;
  final int samples;

  final int[] sttsCount;
  final int[] sttsDelta;
  final int[] sttsFirst;
  final long[] sttsDts;
  /** Null without ctts: every composition offset is 0. */
  final int[] cttsCount;
  final int[] cttsOffset;
  final int[] cttsFirst;
  /** The sync samples, 0-based and increasing; null without stss: every sample is one. */
  final int[] sync;
  /** The stsc runs: first chunk (0-based), samples per chunk, first sample. */
  final int[] stscChunk;
  final int[] stscPerChunk;
  final long[] stscFirst;
  /** stsz: one size for all samples, or a size per sample (then {@code fixedSize} is 0). */
  final int fixedSize;
  final int[] sizes;
  final long[] chunkOffsets;
  /** The earliest presentation time and the latest presentation end, media units before the edit. */
  final long minPts;
  final long maxEnd;

  Track(boolean video, byte[] config, long timescale, long shift, long delay, int samples, int[][] stts,
      long[] sttsDts, int[][] ctts, int[] sync, int[][] stsc, long[] stscFirst, int fixedSize, int[] sizes,
      long[] chunkOffsets, long minPts, long maxEnd) {
    this.video = video;
    this.config = config;
    this.timescale = timescale;
    this.shift = shift;
    this.delay = delay;
    this.samples = samples;
    this.sttsCount = stts[0];
    this.sttsDelta = stts[1];
    this.sttsFirst = stts[2];
    this.sttsDts = sttsDts;
    this.cttsCount = ctts == null ? null : ctts[0];
    this.cttsOffset = ctts == null ? null : ctts[1];
    this.cttsFirst = ctts == null ? null : ctts[2];
    this.sync = sync;
    this.stscChunk = stsc[0];
    this.stscPerChunk = stsc[1];
    this.stscFirst = stscFirst;
    this.fixedSize = fixedSize;
    this.sizes = sizes;
    this.chunkOffsets = chunkOffsets;
    this.minPts = minPts;
    this.maxEnd = maxEnd;
  }

  /** A media time in milliseconds on this track's edited timeline, rounded down. */
  long millis(long mediaTime) {
    return millis(mediaTime, shift, delay, timescale);
  }

  /** A media time in milliseconds after an edit list's media_time {@code shift} and empty edit {@code delay}. */
  static long millis(long mediaTime, long shift, long delay, long timescale) {
    return Math.floorDiv((mediaTime - shift + delay) * 1000, timescale);
  }

  /** Where the last sample ends: its decode time plus its duration, media units. */
  long end() {
    int last = sttsFirst.length - 1;
    return last < 0 ? 0 : sttsDts[last] + sttsCount[last] * Integer.toUnsignedLong(sttsDelta[last]);
  }

  int size(int sample) {
    return sizes == null ? fixedSize : sizes[sample];
  }

  long dts(int sample) {
    int run = run(sttsFirst, sample);
    return sttsDts[run] + (long) (sample - sttsFirst[run]) * Integer.toUnsignedLong(sttsDelta[run]);
  }

  /** The last sample whose decode time is at or before {@code millis} (this track's), or -1. */
  int lastAtOrBefore(long millis) {
    int low = 0;
    int high = samples - 1;
    int found = -1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (millis(dts(mid)) <= millis) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }

  /** The first sample whose decode time is at or after {@code millis}, or {@link #samples} if none. */
  int firstAtOrAfter(long millis) {
    int before = lastAtOrBefore(millis - 1);
    return before + 1;
  }

  /** The last sync sample at or before {@code millis}, or -1. */
  int lastSyncAtOrBefore(long millis) {
    int last = lastAtOrBefore(millis);
    if (sync == null || last < 0) {
      return last;
    }
    int at = Arrays.binarySearch(sync, last);
    int index = at >= 0 ? at : -at - 2;
    return index < 0 ? -1 : sync[index];
  }

  /** The index of the run that holds {@code sample}: the last whose first sample is at or before it. */
  static int run(int[] first, int sample) {
    int at = Arrays.binarySearch(first, sample);
    return at >= 0 ? at : -at - 2;
  }

  static int run(long[] first, long sample) {
    int at = Arrays.binarySearch(first, sample);
    return at >= 0 ? at : -at - 2;
  }
}
