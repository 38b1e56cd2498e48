package dev.streamedge.media.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.flv.ExAudioPacket;
import dev.streamedge.flv.ExVideoPacket;
import dev.streamedge.media.MediaFormatException;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** HEVC configuration records and the Enhanced RTMP headers that carry HEVC and Opus. */
@Tag("unit")
class HevcConfigTest {

  /** x265's record for 320x240 (VPS, SPS, PPS), as ffmpeg 8 sends it in an hvc1 sequence start. */
  private static final byte[] HVCC = HexFormat.of().parseHex(
      "0101600000009000000000003cf000fcfdf8f800000f03200001001840010c01ffff01600000030090000003000003003c959009"
          + "210001002a42010101600000030090000003000003003ca00a080f16595912930bc05a02000003000200000300321022"
          + "000100064401c073c189");

  @Test
  void recordGivesNalLengthSizeAndTheSpsPictureSize() throws Exception {
    assertThat(HevcConfig.parse(Unpooled.wrappedBuffer(HVCC))).isEqualTo(new HevcConfig(4, 320, 240));
  }

  @Test
  void truncatedOrSpslessRecordsAreRefused() {
    assertThatThrownBy(() -> HevcConfig.parse(Unpooled.wrappedBuffer(Arrays.copyOf(HVCC, 60))))
        .isInstanceOf(MediaFormatException.class);
    byte[] noArrays = Arrays.copyOf(HVCC, 23);
    noArrays[22] = 0;
    assertThatThrownBy(() -> HevcConfig.parse(Unpooled.wrappedBuffer(noArrays))).hasMessageContaining("without an SPS");
  }

  @Test
  void enhancedHeadersGiveFourCcCompositionTimeAndData() throws Exception {
    // hvc1 CodedFrames, keyframe, composition time 80 ms, then one byte of data.
    ExVideoPacket coded = ExVideoPacket.parse(Unpooled.wrappedBuffer(HexFormat.of().parseHex("9168766331000050aa")))
        .orElseThrow();
    assertThat(coded.fourCc()).isEqualTo("hvc1");
    assertThat(coded.keyframe()).isTrue();
    assertThat(coded.compositionTimeMs()).isEqualTo(80);
    assertThat(coded.data().readableBytes()).isEqualTo(1);
    // CodedFramesX: no composition time.
    ExVideoPacket codedX = ExVideoPacket.parse(Unpooled.wrappedBuffer(HexFormat.of().parseHex("a368766331bb")))
        .orElseThrow();
    assertThat(codedX.packetType()).isEqualTo(ExVideoPacket.CODED_FRAMES);
    assertThat(codedX.keyframe()).isFalse();
    assertThat((int) codedX.data().getUnsignedByte(codedX.data().readerIndex())).isEqualTo(0xBB);
    // Metadata (packet type 4) and legacy AVC are not for this parser.
    assertThat(ExVideoPacket.parse(Unpooled.wrappedBuffer(HexFormat.of().parseHex("946876633100")))).isEmpty();
    assertThat(ExVideoPacket.parse(Unpooled.wrappedBuffer(HexFormat.of().parseHex("1701000000")))).isEmpty();
    assertThatThrownBy(() -> ExVideoPacket.parse(Unpooled.wrappedBuffer(HexFormat.of().parseHex("916876"))))
        .isInstanceOf(MediaFormatException.class);

    ExAudioPacket opus = ExAudioPacket.parse(Unpooled.wrappedBuffer(HexFormat.of().parseHex("914f707573fc")))
        .orElseThrow();
    assertThat(opus.fourCc()).isEqualTo("Opus");
    assertThat(opus.packetType()).isEqualTo(ExAudioPacket.CODED_FRAMES);
    assertThat(opus.data().readableBytes()).isEqualTo(1);
    assertThat(ExAudioPacket.parse(Unpooled.wrappedBuffer(HexFormat.of().parseHex("af01aa")))).isEmpty();
  }
}
