package dev.streamedge.mp4;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzzing of the MP4 files played on demand (docs/fuzzing.md): the input's first four bytes
 * are a time to start from, the rest a file. {@link Mp4Index#read} returns or throws an IOException (its
 * Mp4FormatException); an index it returns walks, from the start, exactly the samples its tables declare
 * and, from the time, no more; each track's timestamps never decrease, no time or presentation time is
 * negative, a composition offset fits FLV's 24 bits, and every sample's bytes are in the file.
 */
@Tag("fuzz")
class Mp4IndexCoverageFuzzTest {

  private static final int MAX_INDEX = 1 << 20;

  @FuzzTest(maxDuration = "30s", maxExecutions = 50_000)
  void anyFileIndexesAndWalksWithinItsBoundsOrFailsAsBadMp4(byte[] input) {
    if (input.length < 4) {
      return;
    }
    long time = ByteBuffer.wrap(input, 0, 4).getInt() & 0xFFFFFFFFL;
    byte[] file = Arrays.copyOfRange(input, 4, input.length);
    Mp4Index index;
    try {
      index = Mp4Index.read(Fmp4Builder.source(file), file.length, MAX_INDEX);
    } catch (IOException badFile) {
      return;
    }
    long all;
    try {
      all = Fmp4IndexCoverageFuzzTest.checkedWalk(index.cursor(0), index.samples(), file.length);
      Fmp4IndexCoverageFuzzTest.checkedWalk(index.cursor(time), index.samples(), file.length);
    } catch (IOException e) {
      throw new AssertionError("a progressive index's cursor reads nothing, yet threw", e);
    }
    if (all != index.samples()) {
      throw new AssertionError("a walk from the start yields " + all + " of " + index.samples() + " samples");
    }
    if (index.durationMillis() < 0 || index.videoConfig() == null && index.audioConfig() == null) {
      throw new AssertionError("duration " + index.durationMillis() + ", or no sequence header at all");
    }
  }
}
