package dev.streamedge.vod;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.streamedge.flv.FlvStreamReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzzing of the FLV files played on demand (docs/fuzzing.md): the input's first four bytes
 * are a time to seek to, the rest a file. {@link FlvSeek#find} returns or throws an IOException, and lands on
 * a tag whose header is in the file, or on the header's first tag when there is no media; {@link FlvStreamReader} reads the file (and, from a tag boundary, the rest after
 * the seek) with no exception but its FormatException, the same tags whole or in 1 to 256-byte pieces, holding
 * at most one tag and one piece.
 */
@Tag("fuzz")
class FlvFileCoverageFuzzTest {

  private static final int MAX_TAG = 4096;

  @FuzzTest(maxDuration = "30s", maxExecutions = 50_000)
  void anyFileSeeksAndReadsWithinBoundsOrFailsAsBadFlv(byte[] input) {
    if (input.length < 5) {
      return;
    }
    long time = ByteBuffer.wrap(input, 0, 4).getInt() & 0xFFFFFFFFL;
    byte[] file = java.util.Arrays.copyOfRange(input, 4, input.length);
    List<String> whole = read(file, file.length, true);
    int piece = 1 + (input[0] & 0xFF);
    List<String> pieces = read(file, piece, true);
    if (!whole.equals(pieces)) {
      throw new AssertionError("whole " + whole + " but in pieces of " + piece + " " + pieces);
    }
    FlvSeek.Point point;
    try {
      point = FlvSeek.find((into, position) -> {
        if (position >= file.length) {
          return -1;
        }
        int n = (int) Math.min(into.remaining(), file.length - position);
        into.put(file, (int) position, n);
        return n;
      }, time, MAX_TAG);
    } catch (IOException badFile) {
      return;
    }
    // On a tag whose header is in the file, or (no media found) on the first tag the header points to.
    long firstTag = (ByteBuffer.wrap(file, 5, 4).getInt() & 0xFFFFFFFFL) + 4;
    if (point.offset() < 13 || point.offset() + 11 > file.length && point.offset() != firstTag) {
      throw new AssertionError("a seek to " + time + " lands at " + point.offset() + " of " + file.length);
    }
    if (point.offset() < file.length) {
      byte[] rest = java.util.Arrays.copyOfRange(file, (int) point.offset(), file.length);
      read(rest, rest.length, false);
    }
  }

  /** The tags of {@code file} read in pieces of {@code piece} bytes, up to a FormatException ("failed" then). */
  private static List<String> read(byte[] file, int piece, boolean withHeader) {
    List<String> tags = new ArrayList<>();
    FlvStreamReader.Tags sink = (type, timestamp, body) -> tags.add(type + "@" + timestamp + "+" + body.readableBytes());
    FlvStreamReader reader = withHeader ? new FlvStreamReader(MAX_TAG, sink) : FlvStreamReader.fromTag(MAX_TAG, sink);
    for (int at = 0; at < file.length; at += piece) {
      ByteBuf chunk = Unpooled.wrappedBuffer(file, at, Math.min(piece, file.length - at));
      try {
        reader.feed(chunk);
      } catch (FlvStreamReader.FormatException bad) {
        tags.add("failed");
        return tags;
      }
      if (reader.pendingBytes() > MAX_TAG + 15 + piece) {
        throw new AssertionError("holds " + reader.pendingBytes() + " bytes");
      }
    }
    return tags;
  }
}
