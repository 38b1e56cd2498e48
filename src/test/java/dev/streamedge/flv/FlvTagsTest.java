package dev.streamedge.flv;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class FlvTagsTest {

  private static ByteBuf bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return Unpooled.wrappedBuffer(out);
  }

  /** Enhanced RTMP video header: IsExHeader | FrameType << 4 | PacketType, then the FourCC. */
  private static ByteBuf exVideo(int frameType, int packetType, String fourCc, int... rest) {
    ByteBuf buf = Unpooled.buffer();
    buf.writeByte(0x80 | frameType << 4 | packetType);
    buf.writeBytes(fourCc.getBytes(StandardCharsets.US_ASCII));
    for (int b : rest) {
      buf.writeByte(b);
    }
    return buf;
  }

  @Test
  void avcSequenceHeaderIsConfigNotKeyframe() {
    ByteBuf body = bytes(0x17, 0x00, 0x00, 0x00, 0x00, 0x01, 0x64, 0x00, 0x1f);
    assertThat(FlvTags.isVideoSequenceHeader(body)).isTrue();
    assertThat(FlvTags.isVideoKeyframe(body)).isFalse();
  }

  @Test
  void avcKeyframeNaluIsKeyframeNotConfig() {
    ByteBuf body = bytes(0x17, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x65);
    assertThat(FlvTags.isVideoKeyframe(body)).isTrue();
    assertThat(FlvTags.isVideoSequenceHeader(body)).isFalse();
  }

  @Test
  void avcEndOfSequenceIsNotAKeyframe() {
    ByteBuf endOfSequence = bytes(0x17, 0x02, 0x00, 0x00, 0x00);
    assertThat(FlvTags.isVideoKeyframe(endOfSequence)).isFalse();
    assertThat(FlvTags.isVideoSequenceHeader(endOfSequence)).isFalse();
  }

  @Test
  void enhancedKeyframeHeadersWithoutCodedFramesAreNotKeyframes() {
    for (int packetType : new int[] {2, 4, 5}) {
      assertThat(FlvTags.isVideoKeyframe(exVideo(1, packetType, "hvc1", 0x00))).as("packet type " + packetType)
          .isFalse();
    }
  }

  @Test
  void avcInterFrameIsNeitherKeyframeNorConfig() {
    ByteBuf body = bytes(0x27, 0x01, 0x00, 0x00, 0x21, 0x41);
    assertThat(FlvTags.isVideoKeyframe(body)).isFalse();
    assertThat(FlvTags.isVideoSequenceHeader(body)).isFalse();
  }

  @Test
  void legacyHevcCodecId12SequenceHeaderAndKeyframeAreRecognised() {
    ByteBuf header = bytes(0x1C, 0x00, 0x00, 0x00, 0x00, 0x01);
    ByteBuf key = bytes(0x1C, 0x01, 0x00, 0x00, 0x00);
    ByteBuf inter = bytes(0x2C, 0x01, 0x00, 0x00, 0x00);
    assertThat(FlvTags.isVideoSequenceHeader(header)).isTrue();
    assertThat(FlvTags.isVideoKeyframe(header)).isFalse();
    assertThat(FlvTags.isVideoKeyframe(key)).isTrue();
    assertThat(FlvTags.isVideoSequenceHeader(key)).isFalse();
    assertThat(FlvTags.isVideoKeyframe(inter)).isFalse();
    assertThat(FlvTags.isVideoSequenceHeader(inter)).isFalse();
  }

  @Test
  void sorensonKeyframeIsKeyframeAndNeverConfigEvenWithZeroSecondByte() {
    // Codec 2 (H.263) has no packet type byte: a zero second byte means nothing.
    ByteBuf key = bytes(0x12, 0x00, 0x00, 0x84);
    assertThat(FlvTags.isVideoKeyframe(key)).isTrue();
    assertThat(FlvTags.isVideoSequenceHeader(key)).isFalse();
  }

  @Test
  void enhancedHvc1SequenceStartIsConfigNotKeyframe() {
    ByteBuf body = exVideo(1, 0, "hvc1", 0x01, 0x01, 0x60);
    assertThat((int) body.getUnsignedByte(0)).isEqualTo(0x90);
    assertThat(FlvTags.isVideoSequenceHeader(body)).isTrue();
    assertThat(FlvTags.isVideoKeyframe(body)).isFalse();
  }

  @Test
  void enhancedHvc1CodedKeyframesAreKeyframes() {
    ByteBuf coded = exVideo(1, 1, "hvc1", 0x00, 0x00, 0x00, 0x26);
    ByteBuf codedX = exVideo(1, 3, "hvc1", 0x26, 0x01);
    assertThat(FlvTags.isVideoKeyframe(coded)).isTrue();
    assertThat(FlvTags.isVideoSequenceHeader(coded)).isFalse();
    assertThat(FlvTags.isVideoKeyframe(codedX)).isTrue();
    assertThat(FlvTags.isVideoSequenceHeader(codedX)).isFalse();
  }

  @Test
  void enhancedAv1InterFrameIsNeitherKeyframeNorConfig() {
    ByteBuf body = exVideo(2, 1, "av01", 0x12, 0x00);
    assertThat((int) body.getUnsignedByte(0)).isEqualTo(0xA1);
    assertThat(FlvTags.isVideoKeyframe(body)).isFalse();
    assertThat(FlvTags.isVideoSequenceHeader(body)).isFalse();
  }

  @Test
  void enhancedAv1SequenceStartIsConfig() {
    ByteBuf body = exVideo(1, 0, "av01", 0x81, 0x00, 0x0c);
    assertThat(FlvTags.isVideoSequenceHeader(body)).isTrue();
    assertThat(FlvTags.isVideoKeyframe(body)).isFalse();
  }

  @Test
  void enhancedCommandFrameIsNeitherConfigNorKeyframeEvenWithPacketTypeZero() {
    // Frame type 5 (command): the low nibble is not a sequence start; a VideoCommand byte follows.
    ByteBuf body = exVideo(5, 0, "hvc1", 0x00);
    assertThat((int) body.getUnsignedByte(0)).isEqualTo(0xD0);
    assertThat(FlvTags.isVideoSequenceHeader(body)).isFalse();
    assertThat(FlvTags.isVideoKeyframe(body)).isFalse();
  }

  @Test
  void legacyAvcCommandFrameIsNotASequenceHeader() {
    // FLV spec E.4.3.1: with FrameType 5 the byte after the flags is a command (0 = start of seek),
    // not an AVCPacketType, so 0x57 0x00 must not replace the cached AVC sequence header.
    ByteBuf body = bytes(0x57, 0x00);
    assertThat(FlvTags.isVideoSequenceHeader(body)).isFalse();
    assertThat(FlvTags.isVideoKeyframe(body)).isFalse();
  }

  @Test
  void aacSequenceHeaderIsConfig() {
    assertThat(FlvTags.isAudioSequenceHeader(bytes(0xAF, 0x00, 0x12, 0x10))).isTrue();
  }

  @Test
  void aacRawFrameIsNotConfig() {
    assertThat(FlvTags.isAudioSequenceHeader(bytes(0xAF, 0x01, 0x21, 0x10))).isFalse();
  }

  @Test
  void mp3FrameIsNotConfigEvenWithZeroSecondByte() {
    assertThat(FlvTags.isAudioSequenceHeader(bytes(0x2F, 0x00, 0xFF, 0xFB))).isFalse();
    assertThat(FlvTags.isAudioSequenceHeader(bytes(0x2F, 0xFF, 0xFB))).isFalse();
  }

  @Test
  void enhancedAudioSequenceStartIsConfigAndCodedFramesAreNot() {
    ByteBuf start = Unpooled.buffer().writeByte(0x90).writeBytes("Opus".getBytes(StandardCharsets.US_ASCII));
    ByteBuf coded = Unpooled.buffer().writeByte(0x91).writeBytes("Opus".getBytes(StandardCharsets.US_ASCII));
    assertThat(FlvTags.isAudioSequenceHeader(start)).isTrue();
    assertThat(FlvTags.isAudioSequenceHeader(coded)).isFalse();
  }

  @Test
  void oneByteAacOrAvcBodyIsNotConfig() {
    assertThat(FlvTags.isAudioSequenceHeader(bytes(0xAF))).isFalse();
    assertThat(FlvTags.isVideoSequenceHeader(bytes(0x17))).isFalse();
  }

  @Test
  void emptyBodiesAreNothing() {
    ByteBuf empty = Unpooled.EMPTY_BUFFER;
    assertThat(FlvTags.isVideoKeyframe(empty)).isFalse();
    assertThat(FlvTags.isVideoSequenceHeader(empty)).isFalse();
    assertThat(FlvTags.isAudioSequenceHeader(empty)).isFalse();
  }

  @Test
  void readsFromReaderIndexWithoutConsumingTheBody() {
    ByteBuf body = bytes(0x00, 0x00, 0x17, 0x00, 0x01);
    body.readerIndex(2);
    assertThat(FlvTags.isVideoSequenceHeader(body)).isTrue();
    assertThat(FlvTags.isVideoKeyframe(body)).isFalse();
    assertThat(body.readerIndex()).isEqualTo(2);
    assertThat(body.readableBytes()).isEqualTo(3);
  }
}
