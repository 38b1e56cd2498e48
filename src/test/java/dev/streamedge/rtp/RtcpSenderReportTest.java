package dev.streamedge.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A sender's RTCP compound packet (RFC 3550 §6.1): SR without report blocks, SDES with the CNAME. */
@Tag("unit")
class RtcpSenderReportTest {

  @Test
  void aSenderReportThenTheCnameBehindTheInterleavedHeader() {
    ByteBuf out = Unpooled.buffer();
    RtcpSenderReport.write(out, 1, 0x11223344L, 0x83AA7E81_80000000L, 0x00ABCDEFL, 10, 1000, "streamedge");
    assertThat(ByteBufUtil.hexDump(out)).isEqualTo(
        // $, channel 1, 28 + 24 = 52 bytes.
        "24010034"
        // SR: V=2 RC=0, PT 200, length 6 words - 1; SSRC; NTP; RTP timestamp; packets 10; octets 1000.
        + "80c80006" + "11223344" + "83aa7e8180000000" + "00abcdef" + "0000000a" + "000003e8"
        // SDES: V=2 SC=1, PT 202, length 5; SSRC; CNAME (1), 10 bytes, "streamedge", 4 null octets to 32 bits.
        + "81ca0005" + "11223344" + "010a" + "73747265616d65646765" + "00000000");
  }

  @Test
  void theCnameChunkAlwaysEndsInANullOctet() {
    ByteBuf out = Unpooled.buffer();
    // 4 + 2 + 1 + 1 = 8: one null octet.
    RtcpSenderReport.write(out, 3, 1, 0, 0, 0, 0, "a");
    assertThat(ByteBufUtil.hexDump(out, 4 + 28, out.readableBytes() - 32)).isEqualTo("81ca0002" + "00000001" + "010161" + "00");
    out.clear();
    // 4 + 2 + 2 = 8 fills the words: a word more for the null octet.
    RtcpSenderReport.write(out, 3, 1, 0, 0, 0, 0, "ab");
    assertThat(ByteBufUtil.hexDump(out, 4 + 28, out.readableBytes() - 32))
        .isEqualTo("81ca0003" + "00000001" + "01026162" + "00000000");
    assertThat(out.getUnsignedShort(2)).isEqualTo(28 + 16);
  }

  @Test
  void unixMillisecondsInNtpFormat() {
    assertThat(RtcpSenderReport.ntpTime(0)).isEqualTo(0x83AA7E80_00000000L);
    assertThat(RtcpSenderReport.ntpTime(1500)).isEqualTo(0x83AA7E81_80000000L);
    // 2024-01-01T00:00:00.250Z: 1704067200 + 2208988800 = 3913056000 = 0xe93c7f00 seconds, a quarter.
    assertThat(RtcpSenderReport.ntpTime(1_704_067_200_250L)).isEqualTo(0xE93C7F00_40000000L);
  }
}
