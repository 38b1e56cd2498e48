package dev.streamedge.media.codec;

import static dev.streamedge.media.codec.CodecBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.media.MediaFormatException;
import java.util.HexFormat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A record written from x265's parameter sets must be the one ffmpeg 8's FLV muxer wrote for them. */
@Tag("unit")
class HevcConfigRecordTest {

  /** libx265 (ultrafast, 320x240, Main, level 2), as ffmpeg 8 carried it from MPEG-TS into FLV. */
  static final String VPS = "40010c01ffff01600000030090000003000003003c959009";
  static final String SPS = "42010101600000030090000003000003003ca00a080f16595912930bc05a020000030002000003003210";
  static final String PPS = "4401c073c189";
  static final String FFMPEG_RECORD = "01" + "01600000009000000000003c" + "f000fcfdf8f800000f03"
      + "200001 0018" + VPS + "210001 002a" + SPS + "220001 0006" + PPS;

  @Test
  void recordIsTheOneFfmpegWrites() throws Exception {
    byte[] record = HevcConfigRecord.write(bytes(VPS), bytes(SPS), bytes(PPS));
    assertThat(HexFormat.of().formatHex(record)).isEqualTo(FFMPEG_RECORD.replace(" ", ""));
    // And it reads back as the 320x240 picture it describes.
    assertThat(HevcConfig.parse(io.netty.buffer.Unpooled.wrappedBuffer(record))).isEqualTo(new HevcConfig(4, 320, 240));
  }

  @Test
  void spsFieldsAreReadPastTheEmulationPrevention() throws Exception {
    HevcSps sps = HevcSps.parse(bytes(SPS));
    assertThat(HexFormat.of().formatHex(sps.generalProfileTierLevel())).isEqualTo("01600000009000000000003c");
    assertThat(sps.maxSubLayersMinus1()).isZero();
    assertThat(sps.temporalIdNesting()).isTrue();
    assertThat(sps.chromaFormat()).isEqualTo(1);
    assertThat(sps.bitDepthLumaMinus8()).isZero();
  }

  @Test
  void refusesWhatIsNoParameterSet() {
    assertThatThrownBy(() -> HevcConfigRecord.write(bytes(SPS), bytes(SPS), bytes(PPS)))
        .isInstanceOf(MediaFormatException.class);
    assertThatThrownBy(() -> HevcConfigRecord.write(bytes(VPS), bytes(SPS.substring(0, 30)), bytes(PPS)))
        .isInstanceOf(MediaFormatException.class);
  }
}
