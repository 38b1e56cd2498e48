package dev.streamedge.media.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The CODECS strings of master playlists, from FLV sequence headers written out by hand. */
@Tag("unit")
class CodecStringsTest {

  /** An AVCDecoderConfigurationRecord of x264: Main profile (0x4d), constraint flags 0x40, level 3.0 (0x1e). */
  private static final String AVC_RECORD = "014d401effe10018674d401eeca05017fcb808800000030080000019078b16cb01000468efbc80";

  @Test
  void avcIsProfileConstraintFlagsAndLevelInHex() {
    // FLV AVC video tag: keyframe + codec 7, AVCPacketType 0 (sequence header), composition time 0.
    assertThat(CodecStrings.video(body("1700000000" + AVC_RECORD))).contains("avc1.4d401e");
  }

  @Test
  void enhancedHevcIsProfileReversedCompatibilityTierLevelAndConstraintBytes() {
    // ExVideoTagHeader: IsExHeader, keyframe, SequenceStart; FourCC hvc1; then the record's first 13
    // bytes: version 1, Main profile (space 0, tier 0, idc 1), compatibility 0x60000000, constraint
    // bytes B0 00 00 00 00 00, level_idc 93 (3.1); the parameter set arrays are not read.
    assertThat(CodecStrings.video(body("90" + "68766331" + "01" + "01" + "60000000" + "b00000000000" + "5d")))
        .contains("hvc1.1.6.L93.B0");
    // Main 10 in high tier at level 150, profile space 1, two constraint bytes.
    assertThat(CodecStrings.video(body("90" + "68766331" + "01" + "62" + "20000000" + "900100000000" + "96")))
        .contains("hvc1.A2.4.H150.90.01");
  }

  @Test
  void enhancedAv1IsProfileLevelTierAndBitDepth() {
    // av1C: marker and version, profile 0 level 8, main tier 8-bit 4:2:0, no delay.
    assertThat(CodecStrings.video(body("90" + "61763031" + "81" + "08" + "0c" + "00"))).contains("av01.0.08M.08");
    // Profile 0 at level 13 in high tier, 10-bit.
    assertThat(CodecStrings.video(body("90" + "61763031" + "81" + "0d" + "cc" + "00"))).contains("av01.0.13H.10");
  }

  @Test
  void aacIsMp4a40WithTheAudioObjectType() {
    // AAC, 44 kHz, 16-bit, stereo; AACPacketType 0; AudioSpecificConfig LC (2), 44100 Hz, 2 channels.
    assertThat(CodecStrings.audio(body("af001210"))).contains("mp4a.40.2");
    // AAC Main: audio object type 1, 44100 Hz, 2 channels.
    assertThat(CodecStrings.audio(body("af000a10"))).contains("mp4a.40.1");
  }

  @Test
  void recordsNameTheirCodecsAsDashRepresentationsDo() {
    assertThat(CodecStrings.avc(body(AVC_RECORD))).isEqualTo("avc1.4d401e");
    // vpcC content: version 1, flags 0, profile 0, level 3.1 (31), 8-bit 4:2:0 (0x80 | chroma 1 << 1), then
    // colour and initialization data, not read.
    assertThat(CodecStrings.vp9(body("01000000" + "00" + "1f" + "82" + "010101" + "0000"))).isEqualTo("vp09.00.31.08");
    // Profile 2, level 4.1, 10-bit.
    assertThat(CodecStrings.vp9(body("01000000" + "02" + "29" + "a2" + "010101" + "0000"))).isEqualTo("vp09.02.41.10");
    assertThat(CodecStrings.aac(body("1210"))).isEqualTo("mp4a.40.2");
    // HE-AAC signalled explicitly: SBR (5) first.
    assertThat(CodecStrings.aac(body("2b92"))).isEqualTo("mp4a.40.5");
    // ISO/IEC 14496-3 §1.6.2.1: 31 escapes to 32 + six more bits; USAC is 42 (11111 001010).
    assertThat(CodecStrings.aac(body("f940"))).isEqualTo("mp4a.40.42");
  }

  @Test
  void framesOtherCodecsAndBrokenHeadersHaveNone() {
    assertThat(CodecStrings.video(body("2701000000" + "00000001"))).isEmpty();
    assertThat(CodecStrings.video(body("1200"))).isEmpty();
    assertThat(CodecStrings.video(body("1700000000014d40"))).isEmpty();
    assertThat(CodecStrings.video(body("90" + "76703039" + "01000000"))).as("vp09").isEmpty();
    assertThat(CodecStrings.video(body("90" + "68766331" + "0101"))).as("a cut HEVC record").isEmpty();
    assertThat(CodecStrings.audio(body("af01aabb"))).isEmpty();
    assertThat(CodecStrings.audio(body("2f00"))).isEmpty();
  }

  private static ByteBuf body(String hex) {
    return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
  }
}
