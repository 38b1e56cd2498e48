package dev.streamedge.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** AAC in RTP (RFC 3640 AAC-hbr), byte for byte: one access unit per packet behind its AU header. */
@Tag("unit")
class AacPacketizerTest {

  private final ByteBuf out = Unpooled.buffer();

  private static AacPacketizer packetizer(int maxPayload) {
    return new AacPacketizer(new RtpPacketWriter(2, 97, 0x0A0B0C0DL, 0xFFFF), maxPayload);
  }

  private static ByteBuf frame(int size) {
    ByteBuf frame = Unpooled.buffer(size);
    for (int i = 0; i < size; i++) {
      frame.writeByte(i);
    }
    return frame;
  }

  @Test
  void aFrameGoesInOnePacketBehindItsAuHeaderWithTheMarker() {
    ByteBuf raw = frame(371);
    assertThat(packetizer(1400).frame(out, 0x12345678L, raw)).isTrue();
    // $, channel 2, 12 + 4 + 371 = 387 (0x0183); V=2; M=1, PT 97 (0xe1); seq ffff; ts; SSRC;
    // AU-headers-length 16 bits (0x0010); AU-size 371 << 3 | index 0 = 0x0b98.
    String header = "24020183" + "80e1" + "ffff" + "12345678" + "0a0b0c0d" + "0010" + "0b98";
    assertThat(ByteBufUtil.hexDump(out)).isEqualTo(header + ByteBufUtil.hexDump(raw));
    assertThat(raw.readerIndex()).isZero();
  }

  @Test
  void theSequenceGoesOnAndTheCountsAreKept() {
    AacPacketizer packetizer = packetizer(1400);
    packetizer.frame(out, 0, frame(10));
    packetizer.frame(out, 1024, frame(20));
    List<Interleaved> packets = Interleaved.read(out);
    assertThat(packets).extracting(Interleaved::sequence).containsExactly(0xFFFF, 0);
    assertThat(packets).extracting(Interleaved::timestamp).containsExactly(0L, 1024L);
    assertThat(packets).extracting(Interleaved::marker).containsExactly(true, true);
    assertThat(packetizer.writer().packets()).isEqualTo(2);
    assertThat(packetizer.writer().octets()).isEqualTo(4 + 10 + 4 + 20);
    assertThat(packetizer.writer().lastTimestamp()).isEqualTo(1024);
  }

  @Test
  void framesTheAuSizeOrThePayloadCannotHoldAreSkipped() {
    assertThat(packetizer(0xFFFF - 12).frame(out, 0, frame(8192))).isFalse();
    assertThat(packetizer(100).frame(out, 0, frame(97))).isFalse();
    assertThat(packetizer(100).frame(out, 0, frame(0))).isFalse();
    assertThat(out.readableBytes()).isZero();
    // The largest of each.
    assertThat(packetizer(100).frame(out, 0, frame(96))).isTrue();
    out.clear();
    assertThat(packetizer(0xFFFF - 12).frame(out, 0, frame(8191))).isTrue();
    assertThat(ByteBufUtil.hexDump(out, 16, 4)).isEqualTo("0010" + "fff8");
  }
}
