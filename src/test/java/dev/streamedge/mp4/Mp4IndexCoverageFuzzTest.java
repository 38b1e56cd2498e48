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
      index = Mp4Index.read((into, position) -> {
        if (position >= file.length) {
          return -1;
        }
        int n = (int) Math.min(into.remaining(), file.length - position);
        into.put(file, (int) position, n);
        return n;
      }, file.length, MAX_INDEX);
    } catch (IOException badFile) {
      return;
    }
    int all = walk(index, index.cursor(0), file.length);
    if (all != index.samples()) {
      throw new AssertionError("a walk from the start yields " + all + " of " + index.samples() + " samples");
    }
    walk(index, index.cursor(time), file.length);
    if (index.durationMillis() < 0 || index.videoConfig() == null && index.audioConfig() == null) {
      throw new AssertionError("duration " + index.durationMillis() + ", or no sequence header at all");
    }
  }

  /** How many samples {@code cursor} yields, each checked. */
  private static int walk(Mp4Index index, Mp4Cursor cursor, long length) {
    long[] last = {0, 0};
    int count = 0;
    for (Mp4Sample s = cursor.next(); s != null; s = cursor.next()) {
      if (++count > index.samples()) {
        throw new AssertionError("more samples than the tables' " + index.samples());
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
