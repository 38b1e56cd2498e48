package dev.streamedge.flv;

import static dev.streamedge.media.codec.CodecBytes.buf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.codec.AacConfig;
import dev.streamedge.media.codec.AvcConfig;
import dev.streamedge.media.codec.CodecBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class FlvPacketTest {

  @Test
  void avcKeyframeWithCompositionTime() throws Exception {
    ByteBuf body = buf("17 01 000050 00000002 0910");
    FlvVideoPacket packet = FlvVideoPacket.parse(body).orElseThrow();
    assertThat(packet.keyframe()).isTrue();
    assertThat(packet.packetType()).isEqualTo(FlvVideoPacket.NALU);
    assertThat(packet.compositionTimeMs()).isEqualTo(80);
    assertThat(ByteBufUtil.hexDump(packet.data())).isEqualTo("000000020910");
  }

  @Test
  void negativeCompositionTimeIsSignExtended() throws Exception {
    FlvVideoPacket packet = FlvVideoPacket.parse(buf("27 01 FFFFD8 00")).orElseThrow();
    assertThat(packet.keyframe()).isFalse();
    assertThat(packet.frameType()).isEqualTo(2);
    assertThat(packet.compositionTimeMs()).isEqualTo(-40);
  }

  @Test
  void dataIsASliceOfTheBodyNotACopy() throws Exception {
    ByteBuf body = buf("17 01 000000 AA");
    ByteBuf data = FlvVideoPacket.parse(body).orElseThrow().data();
    body.setByte(5, 0xBB);
    assertThat((int) data.getUnsignedByte(0)).isEqualTo(0xBB);
    assertThat(body.readerIndex()).isZero();
  }

  @Test
  void avcSequenceHeaderAndEndOfSequence() throws Exception {
    FlvVideoPacket header = FlvVideoPacket.parse(buf("17 00 000000 " + CodecBytes.AVC_MAIN_640X360)).orElseThrow();
    assertThat(header.packetType()).isEqualTo(FlvVideoPacket.SEQUENCE_HEADER);
    assertThat(AvcConfig.parse(header.data()).width()).isEqualTo(640);
    assertThat(FlvVideoPacket.parse(buf("17 02 000000")).orElseThrow().packetType())
        .isEqualTo(FlvVideoPacket.END_OF_SEQUENCE);
  }

  @Test
  void otherVideoCodecsAreNotAvc() throws Exception {
    assertThat(FlvVideoPacket.parse(buf(""))).isEmpty();
    assertThat(FlvVideoPacket.parse(buf("12 0000"))).isEmpty(); // Sorenson H.263
    assertThat(FlvVideoPacket.parse(buf("1C 01 000000"))).isEmpty(); // legacy HEVC id 12
    assertThat(FlvVideoPacket.parse(buf("91 68766331 000000"))).isEmpty(); // enhanced RTMP hvc1
    assertThat(FlvVideoPacket.parse(buf("57 00"))).isEmpty(); // video command frame
  }

  @Test
  void truncatedOrUnknownAvcPacketsAreProtocolExceptions() {
    for (String hex : new String[] {"17", "17 01", "17 01 0000", "27 03 000000"}) {
      assertThatThrownBy(() -> FlvVideoPacket.parse(buf(hex))).as(hex).isInstanceOf(MediaFormatException.class);
    }
  }

  @Test
  void aacRawFrameAndSequenceHeader() throws Exception {
    FlvAudioPacket raw = FlvAudioPacket.parse(buf("AF 01 DE02")).orElseThrow();
    assertThat(raw.packetType()).isEqualTo(FlvAudioPacket.RAW);
    assertThat(ByteBufUtil.hexDump(raw.data())).isEqualTo("de02");
    FlvAudioPacket header = FlvAudioPacket.parse(buf("AF 00 " + CodecBytes.AAC_LC_44100_STEREO)).orElseThrow();
    assertThat(header.packetType()).isEqualTo(FlvAudioPacket.SEQUENCE_HEADER);
    assertThat(AacConfig.parse(header.data()).channelConfig()).isEqualTo(2);
  }

  @Test
  void otherAudioFormatsAreNotAac() throws Exception {
    assertThat(FlvAudioPacket.parse(buf(""))).isEmpty();
    assertThat(FlvAudioPacket.parse(buf("2F FFFB"))).isEmpty(); // MP3
    assertThat(FlvAudioPacket.parse(buf("90 4f707573"))).isEmpty(); // enhanced RTMP Opus
  }

  @Test
  void truncatedOrUnknownAacPacketsAreProtocolExceptions() {
    for (String hex : new String[] {"AF", "AF 02 00"}) {
      assertThatThrownBy(() -> FlvAudioPacket.parse(buf(hex))).as(hex).isInstanceOf(MediaFormatException.class);
    }
  }
}
