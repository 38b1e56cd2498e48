package dev.streamedge.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** Marks go into H.264 frames as an SEI NAL unit and are found again, with the bytes spelled out. */
@org.junit.jupiter.api.Tag("unit")
class FrameMarkTest {

  /** An AVC inter frame (FrameType 2, CodecID 7, NALU, CTS 0x000050) with one 4-byte-length slice NAL. */
  private static final String FRAME = "2701000050" + "00000003" + "419a22";
  private static final String UUID = "5e7a3bd1914c4fe2a8176dc325f0881b";

  private static ByteBuf hex(String hex) {
    return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
  }

  @Test
  void injectsTheSeiAsTheFirstNalUnit() {
    ByteBuf marked = FrameMark.inject(hex(FRAME), 4, 1, 0x0102030405060708L);

    // Sequence 1 and the time, 7 bits to a byte, most significant first, top bit set.
    String sequence = "80808080808080808081";
    String time = "80818180e0c0a8988e88"; // 0x0102030405060708
    assertThat(ByteBufUtil.hexDump(marked)).isEqualTo("2701000050"
        + "00000028" + "06" + "05" + "24" + UUID + sequence + time + "80"
        + "00000003" + "419a22");
  }

  @Test
  void findsWhatItInjected() {
    long now = System.nanoTime();
    ByteBuf marked = FrameMark.inject(hex(FRAME), 4, 123_456_789L, now);

    assertThat(FrameMark.find(marked, 4)).isEqualTo(new FrameMark.Mark(123_456_789L, now));
  }

  @Test
  void keepsAnAccessUnitDelimiterFirst() {
    ByteBuf frame = hex("1701000000" + "00000002" + "0910" + "00000003" + "659a22");

    ByteBuf marked = FrameMark.inject(frame, 4, 7, 99);

    String hex = ByteBufUtil.hexDump(marked);
    assertThat(hex).startsWith("1701000000" + "00000002" + "0910" + "00000028" + "0605");
    assertThat(hex).endsWith("00000003" + "659a22");
    assertThat(FrameMark.find(marked, 4)).isEqualTo(new FrameMark.Mark(7, 99));
  }

  @Test
  void worksWithTwoByteNalLengths() {
    ByteBuf marked = FrameMark.inject(hex("2701000000" + "0003" + "419a22"), 2, Long.MAX_VALUE, -1);

    assertThat(FrameMark.find(marked, 2)).isEqualTo(new FrameMark.Mark(Long.MAX_VALUE, -1));
  }

  @Test
  void theSeiNeedsNoEmulationPrevention() {
    ByteBuf marked = FrameMark.inject(hex(FRAME), 4, 0, 0);
    byte[] sei = ByteBufUtil.getBytes(marked, 5 + 4, FrameMark.SEI_NAL_LENGTH);

    for (int i = 0; i + 1 < sei.length; i++) {
      assertThat(sei[i] == 0 && sei[i + 1] == 0).as("two zero bytes at %d", i).isFalse();
    }
  }

  @Test
  void findsNothingInUnmarkedFramesOrOtherBodies() {
    assertThat(FrameMark.find(hex(FRAME), 4)).isNull();
    assertThat(FrameMark.find(hex("af01" + "21100465"), 4)).isNull();
    // A NAL length running past the body.
    assertThat(FrameMark.find(hex("2701000000" + "000000ff" + "419a22"), 4)).isNull();
  }

  @Test
  void readsTheNalLengthSizeOfASequenceHeader() {
    // AVCDecoderConfigurationRecord: version 1, profile 0x4d, compat 0x40, level 0x1e, 0xff (4-byte lengths).
    assertThat(FrameMark.nalLengthSize(hex("1700000000" + "014d401eff" + "e1"))).isEqualTo(4);
    assertThat(FrameMark.nalLengthSize(hex("1700000000" + "014d401efd" + "e1"))).isEqualTo(2);
    assertThat(FrameMark.nalLengthSize(hex(FRAME))).isZero();
  }
}
