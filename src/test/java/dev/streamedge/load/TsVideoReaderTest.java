package dev.streamedge.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.hls.ts.TsMuxer;
import dev.streamedge.media.codec.AacConfig;
import dev.streamedge.media.codec.AvcConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Marked frames muxed by the server's own TsMuxer are found again in the segment, with their kind. */
@org.junit.jupiter.api.Tag("unit")
class TsVideoReaderTest {

  private static final AvcConfig AVC = new AvcConfig(77, 30, 4,
      List.of(HexFormat.of().parseHex("674d401e")), List.of(HexFormat.of().parseHex("68efbc80")), 640, 360);
  private static final AacConfig AAC = new AacConfig(2, 4, 44100, 2);

  /** The AVCC NAL units of a marked FLV frame: the body without its 5-byte VideoTagHeader. */
  private static ByteBuf markedAvcc(String flvFrame, long sequence, long sentNanos) {
    ByteBuf body = FrameMark.inject(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(flvFrame)), 4, sequence,
        sentNanos);
    return body.skipBytes(5);
  }

  @Test
  void findsTheMarksAndKeyframesOfASegment() throws Exception {
    TsMuxer muxer = new TsMuxer(true, true);
    ByteBuf segment = Unpooled.buffer();
    muxer.writeTables(segment);
    // A keyframe large enough to span many TS packets, an AAC frame between, then an inter frame.
    byte[] idr = new byte[3000];
    idr[0] = 0x65;
    String idrFrame = "1701000000" + String.format("%08x", idr.length) + HexFormat.of().formatHex(idr);
    muxer.writeVideo(segment, 0, 0, true, markedAvcc(idrFrame, 10, 111), AVC);
    muxer.writeAudio(segment, 10, Unpooled.wrappedBuffer(new byte[200]), AAC);
    muxer.writeVideo(segment, 40, 0, false, markedAvcc("2701000000" + "00000003" + "419a22", 11, 222), AVC);
    muxer.writeVideo(segment, 80, 0, false, Unpooled.wrappedBuffer(HexFormat.of().parseHex("00000003419a23")), AVC);

    List<TsVideoReader.AccessUnit> units = TsVideoReader.read(segment);

    assertThat(units).containsExactly(
        new TsVideoReader.AccessUnit(true, new FrameMark.Mark(10, 111)),
        new TsVideoReader.AccessUnit(false, new FrameMark.Mark(11, 222)),
        new TsVideoReader.AccessUnit(false, null));
  }

  @Test
  void readsNothingFromBytesThatAreNoTransportStream() {
    assertThat(TsVideoReader.read(Unpooled.wrappedBuffer(new byte[188 * 2]))).isEmpty();
  }
}
