package dev.streamedge.mp4;

import java.nio.ByteBuffer;

/**
 * Reads and checks one track's sample tables out of its {@code stbl} (ISO/IEC 14496-12 §8.5.1) into a
 * {@link Track}. Every entry count is checked against its box's size before an array is made, so a table
 * costs at most its own bytes; every run's count and time against the limits below, so that no sum and no
 * millisecond product overflows a long; and one pass over the chunks checks every sample's bytes to be in
 * the file, in time linear in the number of samples (chunks alone with a fixed sample size).
 */
final class TrackReader {

  /** Bound on any time in media units (a track of 2^48 units is 89 years at 100 kHz): ×1000 fits a long. */
  static final long TIME_LIMIT = 1L << 48;
  /** FLV's CompositionTime is a signed 24-bit millisecond count; one more for rounding. */
  static final long MAX_COMPOSITION_MILLIS = (1 << 23) - 2;
  /** Saturation of the stsc sample sums: above any sample count, and twice it still fits a long. */
  private static final long SATURATED = 1L << 61;

  private TrackReader() {
  }

  /** The track, or null when it has no samples (nothing to play). */
  static Track read(boolean video, byte[] config, long timescale, long shift, long delay, ByteBuffer stbl,
      long fileLength) throws Mp4FormatException {
    String kind = video ? "video" : "audio";
    ByteBuffer stsz = Boxes.required(stbl, "stsz", kind + " stbl");
    Boxes.need(stsz, 12, "stsz");
    long fixed = Boxes.u32(stsz, 4);
    long count = Boxes.u32(stsz, 8);
    if (count > Integer.MAX_VALUE || fixed > Integer.MAX_VALUE) {
      throw new Mp4FormatException("stsz of " + count + " samples of size " + fixed + " out of range");
    }
    int samples = (int) count;
    if (samples == 0) {
      return null;
    }
    int[] sizes = null;
    if (fixed == 0) {
      Boxes.need(stsz, 12 + 4L * samples, "stsz");
      sizes = new int[samples];
      for (int i = 0; i < samples; i++) {
        sizes[i] = stsz.getInt(12 + 4 * i);
        if (sizes[i] < 0) {
          throw new Mp4FormatException("stsz sample " + (i + 1) + " of " + Integer.toUnsignedString(sizes[i])
              + " bytes");
        }
      }
    }
    int[][] stts = new int[3][];
    long[] sttsDts = readStts(Boxes.required(stbl, "stts", kind + " stbl"), samples, stts);
    ByteBuffer cttsBox = Boxes.child(stbl, "ctts", kind + " stbl");
    int[][] ctts = cttsBox == null ? null : readCtts(cttsBox, samples, timescale);
    ByteBuffer stssBox = Boxes.child(stbl, "stss", kind + " stbl");
    int[] sync = stssBox == null ? null : readStss(stssBox, samples);
    long[] chunks = readChunkOffsets(stbl, kind);
    int[][] stsc = new int[2][];
    long[] stscFirst = readStsc(Boxes.required(stbl, "stsc", kind + " stbl"), samples, chunks.length, stsc);
    checkWithinFile(samples, stsc, chunks, (int) fixed, sizes, fileLength);
    long[] times = presentation(samples, stts, sttsDts, ctts);
    return new Track(video, config, timescale, shift, delay, samples, stts, sttsDts, ctts, sync, stsc, stscFirst,
        (int) fixed, sizes, chunks, times[0], times[1]);
  }

  /** §8.6.1.2: (sample_count, sample_delta) runs, which must add up to the stsz count. */
  private static long[] readStts(ByteBuffer box, int samples, int[][] out) throws Mp4FormatException {
    int entries = entries(box, 8, "stts");
    int[] count = new int[entries];
    int[] delta = new int[entries];
    int[] first = new int[entries];
    long[] dts = new long[entries];
    int runs = 0;
    long covered = 0;
    long time = 0;
    for (int i = 0; i < entries; i++) {
      long n = Boxes.u32(box, 8 + 8 * i);
      long d = Boxes.u32(box, 12 + 8 * i);
      if (n == 0) {
        continue;
      }
      if (n > samples - covered) {
        throw new Mp4FormatException("stts runs cover more than stsz's " + samples + " samples");
      }
      if (d != 0 && n > (TIME_LIMIT - time) / d) {
        throw new Mp4FormatException("stts adds up past " + TIME_LIMIT + " units");
      }
      count[runs] = (int) n;
      delta[runs] = (int) d;
      first[runs] = (int) covered;
      dts[runs] = time;
      runs++;
      covered += n;
      time += n * d;
    }
    if (covered != samples) {
      throw new Mp4FormatException("stts covers " + covered + " samples, stsz has " + samples);
    }
    out[0] = java.util.Arrays.copyOf(count, runs);
    out[1] = java.util.Arrays.copyOf(delta, runs);
    out[2] = java.util.Arrays.copyOf(first, runs);
    return java.util.Arrays.copyOf(dts, runs);
  }

  /** §8.6.1.3: (sample_count, sample_offset) runs, unsigned in version 0, signed in 1; they cover every sample. */
  private static int[][] readCtts(ByteBuffer box, int samples, long timescale) throws Mp4FormatException {
    int entries = entries(box, 8, "ctts");
    boolean signed = box.get(0) != 0;
    int[] count = new int[entries];
    int[] offset = new int[entries];
    int[] first = new int[entries];
    int runs = 0;
    long covered = 0;
    for (int i = 0; i < entries && covered < samples; i++) {
      long n = Math.min(Boxes.u32(box, 8 + 8 * i), samples - covered);
      long value = signed ? box.getInt(12 + 8 * i) : Boxes.u32(box, 12 + 8 * i);
      if (n == 0) {
        continue;
      }
      if (value > Integer.MAX_VALUE || Math.abs(value) * 1000 / timescale > MAX_COMPOSITION_MILLIS) {
        throw new Mp4FormatException("ctts offset " + value + " of timescale " + timescale + " out of range");
      }
      count[runs] = (int) n;
      offset[runs] = (int) value;
      first[runs] = (int) covered;
      runs++;
      covered += n;
    }
    if (covered < samples) {
      throw new Mp4FormatException("ctts covers " + covered + " of " + samples + " samples");
    }
    return new int[][] {java.util.Arrays.copyOf(count, runs), java.util.Arrays.copyOf(offset, runs),
        java.util.Arrays.copyOf(first, runs)};
  }

  /** §8.6.2: sync sample numbers, 1-based and increasing; kept 0-based. */
  private static int[] readStss(ByteBuffer box, int samples) throws Mp4FormatException {
    int entries = entries(box, 4, "stss");
    int[] sync = new int[entries];
    long previous = 0;
    for (int i = 0; i < entries; i++) {
      long number = Boxes.u32(box, 8 + 4 * i);
      if (number <= previous || number > samples) {
        throw new Mp4FormatException("stss entry " + number + " after " + previous + " of " + samples + " samples");
      }
      sync[i] = (int) number - 1;
      previous = number;
    }
    return sync;
  }

  /** §8.7.5: stco's 32-bit or co64's 64-bit chunk offsets. */
  private static long[] readChunkOffsets(ByteBuffer stbl, String kind) throws Mp4FormatException {
    ByteBuffer stco = Boxes.child(stbl, "stco", kind + " stbl");
    boolean wide = stco == null;
    ByteBuffer box = wide ? Boxes.required(stbl, "co64", kind + " stbl (nor stco)") : stco;
    int entries = entries(box, wide ? 8 : 4, wide ? "co64" : "stco");
    long[] offsets = new long[entries];
    for (int i = 0; i < entries; i++) {
      offsets[i] = wide ? box.getLong(8 + 8 * i) : Boxes.u32(box, 8 + 4 * i);
    }
    return offsets;
  }

  /**
   * §8.7.4: (first_chunk, samples_per_chunk, sample_description_index) runs, each to the next one's first
   * chunk, the last to the last chunk. The first starts at chunk 1; together they hold every sample.
   * Only the first sample description is read: a track that changes it midway plays with the first.
   */
  private static long[] readStsc(ByteBuffer box, int samples, int chunks, int[][] out) throws Mp4FormatException {
    int entries = entries(box, 12, "stsc");
    int[] firstChunk = new int[entries];
    int[] perChunk = new int[entries];
    long[] firstSample = new long[entries];
    long previous = 0;
    long held = 0;
    for (int i = 0; i < entries; i++) {
      long chunk = Boxes.u32(box, 8 + 12 * i);
      long per = Boxes.u32(box, 12 + 12 * i);
      if (i == 0 && chunk != 1 || chunk <= previous || chunk > chunks || per == 0 || per > Integer.MAX_VALUE) {
        throw new Mp4FormatException("stsc entry " + (i + 1) + " (chunk " + chunk + ", " + per
            + " samples) out of order or range, " + chunks + " chunks");
      }
      if (i > 0) {
        held = Math.min(SATURATED, held + Math.min(SATURATED, (chunk - previous) * perChunk[i - 1]));
      }
      firstChunk[i] = (int) chunk - 1;
      perChunk[i] = (int) per;
      firstSample[i] = held;
      previous = chunk;
    }
    if (entries > 0) {
      held = Math.min(SATURATED, held + (chunks - previous + 1) * perChunk[entries - 1]);
    }
    if (held < samples) {
      throw new Mp4FormatException("stsc's " + chunks + " chunks hold " + held + " of " + samples + " samples");
    }
    out[0] = firstChunk;
    out[1] = perChunk;
    return firstSample;
  }

  /** Every chunk's samples, end to end from its offset, within the file. */
  private static void checkWithinFile(int samples, int[][] stsc, long[] chunks, int fixed, int[] sizes,
      long fileLength) throws Mp4FormatException {
    int sample = 0;
    int runs = stsc[0].length;
    for (int run = 0; run < runs && sample < samples; run++) {
      int end = run + 1 < runs ? stsc[0][run + 1] : chunks.length;
      for (int chunk = stsc[0][run]; chunk < end && sample < samples; chunk++) {
        int n = Math.min(stsc[1][run], samples - sample);
        long bytes = (long) n * fixed;
        if (sizes != null) {
          for (int i = sample; i < sample + n; i++) {
            bytes += sizes[i];
          }
        }
        long at = chunks[chunk];
        if (at < 0 || at > fileLength || bytes > fileLength - at) {
          throw new Mp4FormatException("chunk " + (chunk + 1) + " at offset " + at + " of " + bytes
              + " bytes (samples " + (sample + 1) + " to " + (sample + n) + ") past the file's end at " + fileLength);
        }
        sample += n;
      }
    }
  }

  /**
   * {earliest presentation time, latest presentation end}: one pass over the stts and ctts runs together,
   * each piece a span of samples of one duration and one offset, whose first sample presents first and
   * last ends last.
   */
  private static long[] presentation(int samples, int[][] stts, long[] sttsDts, int[][] ctts) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    int s = 0;
    int c = 0;
    int sample = 0;
    while (sample < samples) {
      int sttsEnd = stts[2][s] + stts[0][s];
      int cttsEnd = ctts == null ? samples : ctts[2][c] + ctts[0][c];
      int end = Math.min(sttsEnd, cttsEnd);
      long delta = Integer.toUnsignedLong(stts[1][s]);
      long offset = ctts == null ? 0 : ctts[1][c];
      long first = sttsDts[s] + (sample - stts[2][s]) * delta;
      long last = sttsDts[s] + (long) (end - 1 - stts[2][s]) * delta;
      min = Math.min(min, first + offset);
      max = Math.max(max, last + delta + offset);
      sample = end;
      if (end == sttsEnd) {
        s++;
      }
      if (end == cttsEnd) {
        c++;
      }
    }
    return new long[] {min, max};
  }

  /** A full box's entry count, checked against its size: {@code entrySize} bytes each after 8. */
  private static int entries(ByteBuffer box, int entrySize, String name) throws Mp4FormatException {
    Boxes.need(box, 8, name);
    long entries = Boxes.u32(box, 4);
    Boxes.need(box, 8 + entries * entrySize, name);
    return (int) entries;
  }
}
