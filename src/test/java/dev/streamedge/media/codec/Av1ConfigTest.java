package dev.streamedge.media.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.media.MediaFormatException;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** AV1 configuration records and temporal units, and VP9 keyframe sizes, as Enhanced RTMP carries them. */
@Tag("unit")
class Av1ConfigTest {

  /** SVT-AV1's record for 320x240 as ffmpeg 8 sends it: 4 bytes, then a sequence header OBU. */
  private static final String AV1C = "81000c00" + "0a0b" + "000000043cffbc02f80040";

  @Test
  void recordGivesTheSequenceHeadersMaximumFrameSize() throws Exception {
    assertThat(Av1Config.parse(Unpooled.wrappedBuffer(HexFormat.of().parseHex(AV1C)))).isEqualTo(new Av1Config(320, 240));
  }

  @Test
  void recordsWithoutASequenceHeaderAreRefused() {
    assertThatThrownBy(() -> Av1Config.parse(Unpooled.wrappedBuffer(HexFormat.of().parseHex("81000c00"))))
        .isInstanceOf(MediaFormatException.class).hasMessageContaining("without a sequence header");
    assertThatThrownBy(() -> Av1Config.parse(Unpooled.wrappedBuffer(HexFormat.of().parseHex("01000c00"))))
        .hasMessageContaining("not an AV1CodecConfigurationRecord");
    assertThatThrownBy(() -> Av1Config.parse(Unpooled.wrappedBuffer(HexFormat.of().parseHex("81000c000a0b0000"))))
        .hasMessageContaining("past the record's end");
  }

  @Test
  void onlyALeadingEmptyTemporalDelimiterIsSkipped() {
    assertThat(Av1Config.skipTemporalDelimiter(Unpooled.wrappedBuffer(HexFormat.of().parseHex("12000a0b")))).isEqualTo(2);
    assertThat(Av1Config.skipTemporalDelimiter(Unpooled.wrappedBuffer(HexFormat.of().parseHex("0a0b0000")))).isZero();
    assertThat(Av1Config.skipTemporalDelimiter(Unpooled.wrappedBuffer(HexFormat.of().parseHex("12")))).isZero();
  }

  @Test
  void vp9KeyframeHeaderGivesTheFrameSizeAndInterFramesAreRefused() throws Exception {
    // libvpx profile 0 keyframe of 320x240: marker, sync code 49 83 42, color config, size.
    assertThat(Vp9FrameSize.parse(Unpooled.wrappedBuffer(HexFormat.of().parseHex("824983420013f00ef60638241c18"))))
        .isEqualTo(new Vp9FrameSize(320, 240));
    assertThatThrownBy(() -> Vp9FrameSize.parse(Unpooled.wrappedBuffer(HexFormat.of().parseHex("86004983420013f0"))))
        .hasMessageContaining("inter frame");
    assertThatThrownBy(() -> Vp9FrameSize.parse(Unpooled.wrappedBuffer(HexFormat.of().parseHex("8249"))))
        .isInstanceOf(MediaFormatException.class);
  }
}
