package dev.streamedge.media.codec;

import static dev.streamedge.media.codec.CodecBytes.buf;
import static dev.streamedge.media.codec.CodecBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.media.MediaFormatException;
import java.util.HexFormat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Records written from an SPS and a PPS must be the bytes ffmpeg wrote for them (CodecBytes). */
@Tag("unit")
class AvcConfigRecordTest {

  @Test
  void highProfileRecordEndsWithChromaFormatAndBitDepthsAsFfmpegWritesIt() throws Exception {
    AvcConfig config = AvcConfig.parse(buf(CodecBytes.AVC_HIGH_320X240));
    byte[] record = AvcConfigRecord.write(config.sps().get(0), config.pps().get(0));
    assertThat(HexFormat.of().formatHex(record)).isEqualTo(CodecBytes.AVC_HIGH_320X240);
    // 4:2:0, 8-bit luma and chroma, no SPS extension.
    assertThat(HexFormat.of().formatHex(record, record.length - 4, record.length)).isEqualTo("fdf8f800");
  }

  @Test
  void mainProfileRecordHasNoExtension() throws Exception {
    AvcConfig config = AvcConfig.parse(buf(CodecBytes.AVC_MAIN_640X360));
    byte[] record = AvcConfigRecord.write(config.sps().get(0), config.pps().get(0));
    assertThat(HexFormat.of().formatHex(record)).isEqualTo(CodecBytes.AVC_MAIN_640X360);
  }

  @Test
  void high10ProfileCarriesItsBitDepth() throws Exception {
    // profile_idc 110, seq_parameter_set_id 0, chroma_format_idc 1, bit depths 2 and 2 (10-bit):
    // ue(0)=1, ue(1)=010, ue(2)=011, ue(2)=011 -> 1010 0110 11.. = a6 c0.
    byte[] sps = bytes("676e0028a6c0");
    byte[] record = AvcConfigRecord.write(sps, bytes("68ce3c80"));
    assertThat(HexFormat.of().formatHex(record))
        .isEqualTo("016e0028ffe10006676e0028a6c0010004" + "68ce3c80" + "fdfafa00");
  }

  @Test
  void refusesWhatIsNoSpsOrPps() {
    assertThatThrownBy(() -> AvcConfigRecord.write(bytes("68ce3c80"), bytes("68ce3c80")))
        .isInstanceOf(MediaFormatException.class);
    assertThatThrownBy(() -> AvcConfigRecord.write(bytes("676e0028a6c0"), bytes("")))
        .isInstanceOf(MediaFormatException.class);
    // A high profile SPS cut before its chroma fields.
    assertThatThrownBy(() -> AvcConfigRecord.write(bytes("67640028"), bytes("68ce3c80")))
        .isInstanceOf(MediaFormatException.class);
  }
}
