package dev.streamedge.media.codec;

import static dev.streamedge.media.codec.CodecBytes.buf;
import static dev.streamedge.media.codec.CodecBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.flv.FlvVideoPacket;
import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.testing.FlvFile;
import dev.streamedge.testing.TestMedia;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class AvcConfigTest {

  @Test
  void mainProfileRecordGivesParameterSetsAndCroppedSize() throws Exception {
    AvcConfig config = AvcConfig.parse(buf(CodecBytes.AVC_MAIN_640X360));
    assertThat(config.profile()).isEqualTo(77);
    assertThat(config.level()).isEqualTo(30);
    assertThat(config.nalLengthSize()).isEqualTo(4);
    assertThat(config.sps()).hasSize(1);
    assertThat(config.sps().get(0)).startsWith(0x67, 0x4d, 0x40, 0x1e).hasSize(0x18);
    assertThat(config.pps()).hasSize(1);
    assertThat(config.pps().get(0)).containsExactly(0x68, 0xef, 0xbc, 0x80);
    assertThat(config.width()).isEqualTo(640);
    assertThat(config.height()).isEqualTo(360);
  }

  @Test
  void highProfileRecordWithChromaExtensionParses() throws Exception {
    AvcConfig config = AvcConfig.parse(buf(CodecBytes.AVC_HIGH_320X240));
    assertThat(config.profile()).isEqualTo(100);
    assertThat(config.width()).isEqualTo(320);
    assertThat(config.height()).isEqualTo(240);
  }

  @Test
  void recordsOfFreshlyEncodedFilesParse() throws Exception {
    assertThat(size(TestMedia.audioVideo(20, 2))).isEqualTo("640x360");
    assertThat(size(TestMedia.videoOnly(10))).isEqualTo("320x240");
  }

  private static String size(Path flv) throws Exception {
    for (MediaPacket packet : FlvFile.read(flv)) {
      if (packet.kind() == MediaKind.VIDEO && packet.isConfig()) {
        AvcConfig config = AvcConfig.parse(FlvVideoPacket.parse(packet.body()).orElseThrow().data());
        return config.width() + "x" + config.height();
      }
    }
    throw new AssertionError("no AVC sequence header in " + flv);
  }

  @Test
  void parseLeavesTheBufferUntouched() throws Exception {
    ByteBuf record = buf(CodecBytes.AVC_MAIN_640X360);
    AvcConfig.parse(record);
    assertThat(record.readerIndex()).isZero();
  }

  @Test
  void everyTruncationIsAProtocolException() {
    byte[] record = bytes(CodecBytes.AVC_MAIN_640X360);
    for (int length = 0; length < record.length; length++) {
      ByteBuf truncated = Unpooled.wrappedBuffer(Arrays.copyOf(record, length));
      assertThatThrownBy(() -> AvcConfig.parse(truncated)).as("%d bytes", length)
          .isInstanceOf(MediaFormatException.class);
    }
  }

  @Test
  void wrongVersionIsRefused() {
    byte[] record = bytes(CodecBytes.AVC_MAIN_640X360);
    record[0] = 2;
    assertThatThrownBy(() -> AvcConfig.parse(Unpooled.wrappedBuffer(record)))
        .isInstanceOf(MediaFormatException.class).hasMessageContaining("version 2");
  }

  @Test
  void threeByteNalLengthIsRefused() {
    byte[] record = bytes(CodecBytes.AVC_MAIN_640X360);
    record[4] = (byte) 0xFE;
    assertThatThrownBy(() -> AvcConfig.parse(Unpooled.wrappedBuffer(record)))
        .isInstanceOf(MediaFormatException.class).hasMessageContaining("length size 3");
  }

  @Test
  void twoByteNalLengthIsAccepted() throws Exception {
    byte[] record = bytes(CodecBytes.AVC_MAIN_640X360);
    record[4] = (byte) 0xFD;
    assertThat(AvcConfig.parse(Unpooled.wrappedBuffer(record)).nalLengthSize()).isEqualTo(2);
  }

  @Test
  void recordWithoutParameterSetsIsRefused() {
    assertThatThrownBy(() -> AvcConfig.parse(buf("014d401effe0 00")))
        .isInstanceOf(MediaFormatException.class).hasMessageContaining("without SPS or PPS");
  }

  @Test
  void parameterSetOfTheWrongNalTypeIsRefused() {
    // The PPS slot holds the SPS bytes.
    assertThatThrownBy(() -> AvcConfig.parse(buf("014d401effe10004674d401e010004674d401e")))
        .isInstanceOf(MediaFormatException.class).hasMessageContaining("type 8");
  }

  @Test
  void spsThatEndsInsideItsFieldsIsAProtocolException() {
    // A valid record layout around an SPS cut after level_idc.
    assertThatThrownBy(() -> AvcConfig.parse(buf("014d401effe10004674d401e010004" + "68efbc80")))
        .isInstanceOf(MediaFormatException.class).hasMessageContaining("truncated");
  }

  @Test
  void expGolombCodesDecode() throws Exception {
    // ue: 1 → 0, 010 → 1, 011 → 2, 00100 → 3; se: 010 → 1, 011 → -1.
    BitReader in = new BitReader(bytes("A6 44 C0"));
    assertThat(in.unsigned()).isZero();
    assertThat(in.unsigned()).isEqualTo(1);
    assertThat(in.unsigned()).isEqualTo(2);
    assertThat(in.unsigned()).isEqualTo(3);
    assertThat(in.signed()).isEqualTo(1);
    assertThat(in.signed()).isEqualTo(-1);
  }

  @Test
  void emulationPreventionBytesAreRemoved() {
    assertThat(BitReader.unescape(bytes("67 00 00 03 01 00 00 03 00 03")))
        .containsExactly(bytes("67 00 00 01 00 00 00 03"));
  }
}
