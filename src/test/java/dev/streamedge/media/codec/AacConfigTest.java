package dev.streamedge.media.codec;

import static dev.streamedge.media.codec.CodecBytes.buf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class AacConfigTest {

  @Test
  void lowComplexityStereoWithSyncExtension() throws Exception {
    assertThat(AacConfig.parse(buf(CodecBytes.AAC_LC_44100_STEREO))).isEqualTo(new AacConfig(2, 4, 44100, 2));
  }

  @Test
  void lowComplexityMono() throws Exception {
    assertThat(AacConfig.parse(buf(CodecBytes.AAC_LC_44100_MONO))).isEqualTo(new AacConfig(2, 4, 44100, 1));
  }

  @Test
  void explicitFrequencyEscape() throws Exception {
    AacConfig config = AacConfig.parse(buf("1780562210"));
    assertThat(config).isEqualTo(new AacConfig(2, 15, 44100, 2));
    // A tabled rate given explicitly still has an ADTS index.
    assertThat(config.adtsCompatible()).isTrue();
    assertThat(adts(config, 0)).isEqualTo(adts(new AacConfig(2, 4, 44100, 2), 0));
  }

  @Test
  void explicitUntabledFrequencyCannotBeAdts() throws Exception {
    AacConfig config = AacConfig.parse(buf("1780562290"));
    assertThat(config.sampleRate()).isEqualTo(44101);
    assertThat(config.adtsCompatible()).isFalse();
    assertThatThrownBy(() -> config.writeAdtsHeader(Unpooled.buffer(), 10)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void explicitHeAacKeepsTheCoreLayer() throws Exception {
    // SBR (5), 24 kHz core, stereo, 48 kHz extension, core object type AAC LC.
    assertThat(AacConfig.parse(buf("2b1188"))).isEqualTo(new AacConfig(2, 6, 24000, 2));
  }

  @Test
  void escapedObjectTypeIsReadButIsNotAdts() throws Exception {
    AacConfig config = AacConfig.parse(buf("f80840"));
    assertThat(config.objectType()).isEqualTo(32);
    assertThat(config.adtsCompatible()).isFalse();
  }

  @Test
  void channelConfigurationZeroIsNotAdts() throws Exception {
    assertThat(AacConfig.parse(buf("1200")).adtsCompatible()).isFalse();
  }

  @Test
  void truncatedOrReservedConfigsAreProtocolExceptions() {
    for (String hex : new String[] {"", "12", "17805622", "2b", "2b11", "1680", "0010"}) {
      assertThatThrownBy(() -> AacConfig.parse(buf(hex))).as(hex).isInstanceOf(MediaFormatException.class);
    }
  }

  @Test
  void adtsHeaderForLowComplexity44100Stereo() {
    // profile 1 (LC), index 4, channels 2, frame length 7 + 100 = 107, fullness 0x7FF.
    assertThat(adts(new AacConfig(2, 4, 44100, 2), 100)).isEqualTo("fff150800d7ffc");
  }

  @Test
  void adtsHeaderForLargestFrameAt48000Mono() {
    // frame length 8191: every length bit set.
    assertThat(adts(new AacConfig(2, 3, 48000, 1), AacConfig.MAX_ADTS_PAYLOAD)).isEqualTo("fff14c43fffffc");
  }

  @Test
  void adtsHeaderForMainProfile8ChannelsAt96000() {
    // profile 0 (Main), index 0, channel configuration 7 spans bytes 2 and 3; length 7 + 1000 = 1007.
    assertThat(adts(new AacConfig(1, 0, 96000, 7), 1000)).isEqualTo("fff101c07dfffc");
  }

  @Test
  void adtsRefusesFramesBeyond13BitLength() {
    assertThatThrownBy(() -> new AacConfig(2, 4, 44100, 2).writeAdtsHeader(Unpooled.buffer(), AacConfig.MAX_ADTS_PAYLOAD + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void frameDurationIn90kHzTicks() {
    assertThat(new AacConfig(2, 4, 44100, 2).frameDuration90k()).isEqualTo(2089);
    assertThat(new AacConfig(2, 3, 48000, 2).frameDuration90k()).isEqualTo(1920);
  }

  private static String adts(AacConfig config, int rawLength) {
    ByteBuf out = Unpooled.buffer();
    config.writeAdtsHeader(out, rawLength);
    assertThat(out.readableBytes()).isEqualTo(AacConfig.ADTS_HEADER_LENGTH);
    return ByteBufUtil.hexDump(out);
  }
}
