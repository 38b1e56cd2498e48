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
  void aacIsMp4a40WithTheAudioObjectType() {
    // AAC, 44 kHz, 16-bit, stereo; AACPacketType 0; AudioSpecificConfig LC (2), 44100 Hz, 2 channels.
    assertThat(CodecStrings.audio(body("af001210"))).contains("mp4a.40.2");
    // AAC Main: audio object type 1, 44100 Hz, 2 channels.
    assertThat(CodecStrings.audio(body("af000a10"))).contains("mp4a.40.1");
  }

  @Test
  void framesOtherCodecsAndBrokenHeadersHaveNone() {
    assertThat(CodecStrings.video(body("2701000000" + "00000001"))).isEmpty();
    assertThat(CodecStrings.video(body("1200"))).isEmpty();
    assertThat(CodecStrings.video(body("1700000000014d40"))).isEmpty();
    assertThat(CodecStrings.audio(body("af01aabb"))).isEmpty();
    assertThat(CodecStrings.audio(body("2f00"))).isEmpty();
  }

  private static ByteBuf body(String hex) {
    return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
  }
}
