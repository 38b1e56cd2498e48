package dev.streamedge.media.codec;

import static dev.streamedge.media.codec.CodecBytes.buf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class AdtsHeaderTest {

  @Test
  void readsWhatTheMuxersWriterWrites() throws Exception {
    AacConfig config = new AacConfig(2, 3, 48000, 2);
    ByteBuf header = Unpooled.buffer();
    config.writeAdtsHeader(header, 300);
    AdtsHeader parsed = AdtsHeader.parse(header, 0);
    assertThat(parsed).isEqualTo(new AdtsHeader(config, true, 307, 1));
    assertThat(parsed.headerLength()).isEqualTo(7);
  }

  @Test
  void handBuiltHeaderWithCrc() throws Exception {
    // MPEG-2 ID, protection_absent 0, LC, 44100 Hz (4), mono, aac_frame_length 0x123, two raw data blocks.
    AdtsHeader parsed = AdtsHeader.parse(buf("fff8 5040 247f e1 abcd"), 0);
    assertThat(parsed).isEqualTo(new AdtsHeader(new AacConfig(2, 4, 44100, 1), false, 0x123, 2));
    assertThat(parsed.headerLength()).isEqualTo(9);
  }

  @Test
  void audioSpecificConfigAsAacAdtstoascWritesIt() {
    assertThat(HexFormat.of().formatHex(new AacConfig(2, 3, 48000, 2).audioSpecificConfig())).isEqualTo("1190");
    assertThat(HexFormat.of().formatHex(new AacConfig(2, 4, 44100, 1).audioSpecificConfig())).isEqualTo("1208");
    assertThatThrownBy(() -> new AacConfig(2, 15, 44101, 2).audioSpecificConfig())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void refusesBadHeaders() {
    // no syncword; layer 01; reserved frequency index 13; frame shorter than its header; truncated.
    for (String bad : new String[] {"0ff1 4c80 017f fc", "fff3 4c80 017f fc", "fff1 7480 017f fc",
        "fff1 4c80 00df fc", "fff1 4c80 01"}) {
      assertThatThrownBy(() -> AdtsHeader.parse(buf(bad), 0)).as(bad).isInstanceOf(MediaFormatException.class);
    }
  }
}
