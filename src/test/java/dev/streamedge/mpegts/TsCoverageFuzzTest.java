package dev.streamedge.mpegts;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzzing of the MPEG-TS an SRT publisher sends (docs/fuzzing.md): the input is a byte stream
 * fed to {@link TsDemuxer} and {@link FlvFromTs} in pieces whose sizes the first byte picks. Nothing throws,
 * the demuxer holds no more than one partial packet and two PES of at most the limit, and every FLV body
 * handed on is readable with an unsigned 32-bit millisecond timestamp.
 */
@Tag("fuzz")
class TsCoverageFuzzTest {

  private static final int MAX_PES = 64 * 1024;

  @FuzzTest(maxDuration = "30s", maxExecutions = 150_000)
  void anyByteStreamDemuxesWithinBoundsWithoutAnException(byte[] input) {
    if (input.length == 0) {
      return;
    }
    FlvFromTs flv = new FlvFromTs((kind, timestamp, body) -> {
      if (kind == null || body == null || !body.isReadable() || timestamp < 0 || timestamp > 0xFFFFFFFFL) {
        throw new AssertionError("a body " + kind + " at " + timestamp);
      }
    });
    TsDemuxer demuxer = new TsDemuxer(MAX_PES, flv);
    int piece = 1 + (input[0] & 0xFF) * 8;
    for (int at = 1; at < input.length; at += piece) {
      demuxer.feed(Unpooled.wrappedBuffer(input, at, Math.min(piece, input.length - at)));
      if (demuxer.bufferedBytes() > TsDemuxer.PACKET_SIZE + 2L * MAX_PES) {
        throw new AssertionError("holds " + demuxer.bufferedBytes() + " bytes");
      }
    }
    demuxer.flush();
  }
}
