package dev.streamedge.rtp.receive;

import static dev.streamedge.rtp.receive.Rtp.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RTP packets (RFC 3550 §5.1) read byte for byte: the fixed header, CSRCs, extension and padding taken off. */
@Tag("unit")
class RtpPacketTest {

  @Test
  void theFixedHeaderIsReadAndThePayloadIsASliceOfTheInput() throws Exception {
    // V=2, M=1 PT=96 (0xe0), sequence 0x1234, timestamp, SSRC, 4 bytes of payload.
    ByteBuf in = hex("80e0" + "1234" + "00abcdef" + "11223344" + "deadbeef");
    RtpPacket packet = RtpPacket.parse(in);
    assertThat(packet.payloadType()).isEqualTo(96);
    assertThat(packet.marker()).isTrue();
    assertThat(packet.sequence()).isEqualTo(0x1234);
    assertThat(packet.timestamp()).isEqualTo(0x00ABCDEFL);
    assertThat(packet.ssrc()).isEqualTo(0x11223344L);
    assertThat(hex(packet.payload())).isEqualTo("deadbeef");
    assertThat(in.readerIndex()).isZero();
    in.setByte(12, 0x55); // no copy: the payload sees the packet's bytes
    assertThat(hex(packet.payload())).isEqualTo("55adbeef");
  }

  @Test
  void unsignedFieldsKeepTheirTopBit() throws Exception {
    RtpPacket packet = RtpPacket.parse(hex("807f" + "ffff" + "ffffffff" + "fffffffe"));
    assertThat(packet.payloadType()).isEqualTo(127);
    assertThat(packet.marker()).isFalse();
    assertThat(packet.sequence()).isEqualTo(0xFFFF);
    assertThat(packet.timestamp()).isEqualTo(0xFFFF_FFFFL);
    assertThat(packet.ssrc()).isEqualTo(0xFFFF_FFFEL);
    assertThat(packet.payload().readableBytes()).isZero();
  }

  @Test
  void csrcsAreSkipped() throws Exception {
    // CC=2: two contributing sources after the SSRC.
    RtpPacket packet = RtpPacket.parse(hex("8260" + "0001" + "00000010" + "11223344" + "aaaaaaaa" + "bbbbbbbb" + "4101"));
    assertThat(packet.ssrc()).isEqualTo(0x11223344L);
    assertThat(hex(packet.payload())).isEqualTo("4101");
  }

  @Test
  void theHeaderExtensionIsSkippedAfterTheCsrcs() throws Exception {
    // X=1, CC=1: a CSRC, then the extension (§5.3.1): profile 0xbede, 2 words of data.
    RtpPacket packet = RtpPacket.parse(hex("9160" + "0001" + "00000010" + "11223344" + "aaaaaaaa"
        + "bede0002" + "10ff0000" + "22334400" + "6588"));
    assertThat(hex(packet.payload())).isEqualTo("6588");
    // An extension of no words is its 4-byte header alone.
    assertThat(hex(RtpPacket.parse(hex("9060000100000010112233440001" + "0000" + "41")).payload())).isEqualTo("41");
  }

  @Test
  void paddingIsTakenOffTheEnd() throws Exception {
    // P=1: the last byte counts the padding bytes, itself included.
    RtpPacket packet = RtpPacket.parse(hex("a060" + "0001" + "00000010" + "11223344" + "419a01" + "000003"));
    assertThat(hex(packet.payload())).isEqualTo("419a01");
    // Padding that is all there is after the header leaves an empty payload.
    assertThat(RtpPacket.parse(hex("a06000010000001011223344" + "00000004")).payload().readableBytes()).isZero();
  }

  @Test
  void paddingExtensionAndCsrcsTogether() throws Exception {
    RtpPacket packet = RtpPacket.parse(hex("b1e0" + "fffe" + "80000000" + "01020304" + "05060708"
        + "10000001" + "cafebabe" + "7c85" + "aabb" + "0002"));
    assertThat(packet.marker()).isTrue();
    assertThat(packet.sequence()).isEqualTo(0xFFFE);
    assertThat(packet.timestamp()).isEqualTo(0x8000_0000L);
    assertThat(hex(packet.payload())).isEqualTo("7c85aabb");
  }

  @Test
  void aPacketFurtherOnInItsBufferIsReadFromItsReaderIndex() throws Exception {
    ByteBuf frame = hex("24000010" + "8060000700000010112233440605");
    frame.skipBytes(4); // the interleaved header
    RtpPacket packet = RtpPacket.parse(frame);
    assertThat(packet.sequence()).isEqualTo(7);
    assertThat(hex(packet.payload())).isEqualTo("0605");
    assertThat(frame.readerIndex()).isEqualTo(4);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "empty, ''",
      "shorter than the header, 80600001000000101122",
      "version 0, 00600001000000101122334441",
      "version 1, 40600001000000101122334441",
      "version 3, c0600001000000101122334441",
      "CSRCs past the end, 8160000100000010112233440000",
      "extension header past the end, 90600001000000101122334400",
      "extension past the end, 906000010000001011223344bede000100",
      "padding count 0, a06000010000001011223344410100",
      "padding past the payload, a06000010000001011223344410104",
      "padding into the header, a0600001000000101122334405",
  })
  void brokenPacketsAreRefusedWithoutMovingTheInput(String what, String bytes) {
    ByteBuf in = bytes.isEmpty() ? Unpooled.EMPTY_BUFFER : hex(bytes);
    assertThatThrownBy(() -> RtpPacket.parse(in)).isInstanceOf(RtpFormatException.class).hasMessageContaining("RTP");
    assertThat(in.readerIndex()).isZero();
  }
}
