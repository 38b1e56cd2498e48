package dev.streamedge.mp4;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzzing of fragmented MP4 files played on demand (docs/fuzzing.md), through the entry
 * point the player uses, {@link Mp4Samples#read}: the input's first four bytes are a time to start from,
 * the rest a file. Reading and walking return or throw an IOException (its Mp4FormatException); a walk
 * ends, from the start and from the time (no more samples from the time than from the start); each
 * track's timestamps never decrease, no time or video presentation time is negative, a composition
 * offset fits FLV's 24 bits (0 for audio), and every sample's bytes are in the file.
 */
@Tag("fuzz")
class Fmp4IndexCoverageFuzzTest {

  private static final int MAX_INDEX = 1 << 20;

  @FuzzTest(maxDuration = "30s", maxExecutions = 50_000)
  void anyFragmentedFileIndexesAndWalksWithinItsBoundsOrFailsAsBadMp4(byte[] input) {
    if (input.length < 4) {
      return;
    }
    long time = ByteBuffer.wrap(input, 0, 4).getInt() & 0xFFFFFFFFL;
    byte[] file = Arrays.copyOfRange(input, 4, input.length);
    try {
      Mp4Samples index = Fmp4Builder.read(file, MAX_INDEX);
      // A fragment has at most Moof.MAX_SAMPLES samples; a progressive file, those its tables declare.
      long bound = index instanceof Fmp4Index fragmented ? (long) fragmented.fragments() * Moof.MAX_SAMPLES
          : ((Mp4Index) index).samples();
      long all = checkedWalk(index.cursor(0), bound, file.length);
      long from = checkedWalk(index.cursor(time), all, file.length);
      if (from > all || index.durationMillis() < 0 || index.videoConfig() == null && index.audioConfig() == null) {
        throw new AssertionError(from + " samples from " + time + " of " + all + ", duration "
            + index.durationMillis() + ", or no sequence header at all");
      }
    } catch (IOException badFile) {
      // a malformed or cut file: what the reader declares
    }
  }

  /**
   * How many samples {@code cursor} yields, at most {@code bound}, each checked: per track timestamps never
   * decrease, no presentation time is negative, composition offsets fit 24 bits (0 for audio), every sample
   * within the file's {@code length} bytes. Both MP4 fuzzers' walk.
   */
  static long checkedWalk(SampleCursor cursor, long bound, long length) throws IOException {
    long[] last = {0, 0};
    long count = 0;
    for (Mp4Sample s = cursor.next(); s != null; s = cursor.next()) {
      if (++count > bound) {
        throw new AssertionError("more than " + bound + " samples");
      }
      int track = s.video() ? 0 : 1;
      if (s.timestamp() < last[track] || s.timestamp() + s.compositionOffset() < 0) {
        throw new AssertionError(s + " after a timestamp of " + last[track]);
      }
      last[track] = s.timestamp();
      if (Math.abs(s.compositionOffset()) >= 1 << 23 || !s.video() && s.compositionOffset() != 0) {
        throw new AssertionError(s + ": a composition offset out of range");
      }
      if (s.offset() < 0 || s.size() < 0 || s.offset() + s.size() > length) {
        throw new AssertionError(s + " out of the file's " + length + " bytes");
      }
    }
    return count;
  }
}
