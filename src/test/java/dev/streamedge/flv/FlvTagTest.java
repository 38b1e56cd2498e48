package dev.streamedge.flv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.media.MediaKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class FlvTagTest {

  private static String hex(ByteBuf buf) {
    return ByteBufUtil.hexDump(buf);
  }

  @Test
  void headerAnnouncesTheTracksAndIsFollowedByPreviousTagSizeZero() {
    ByteBuf out = Unpooled.buffer();
    FlvTag.writeHeader(out, true, true);
    assertThat(hex(out)).isEqualTo("464c5601" + "05" + "00000009" + "00000000");
    assertThat(out.readableBytes()).isEqualTo(FlvTag.HEADER_LENGTH);
    ByteBuf videoOnly = Unpooled.buffer();
    FlvTag.writeHeader(videoOnly, false, true);
    assertThat(hex(videoOnly).substring(8, 10)).isEqualTo("01");
    ByteBuf audioOnly = Unpooled.buffer();
    FlvTag.writeHeader(audioOnly, true, false);
    assertThat(hex(audioOnly).substring(8, 10)).isEqualTo("04");
  }

  @Test
  void videoTagCarriesSizeTimestampBodyAndPreviousTagSize() {
    ByteBuf out = Unpooled.buffer();
    ByteBuf body = Unpooled.wrappedBuffer(new byte[] {0x17, 0x01, 0, 0, 0});
    FlvTag.write(out, MediaKind.VIDEO, 0x123456, body);
    assertThat(hex(out)).isEqualTo("09" + "000005" + "123456" + "00" + "000000" + "1701000000" + "00000010");
    assertThat(body.readableBytes()).as("body not consumed").isEqualTo(5);
  }

  @Test
  void timestampAbove24BitsGoesToTheExtendedByte() {
    ByteBuf out = Unpooled.buffer();
    FlvTag.write(out, MediaKind.AUDIO, 0xAB123456L, Unpooled.wrappedBuffer(new byte[] {(byte) 0xAF, 1}));
    assertThat(hex(out)).isEqualTo("08" + "000002" + "123456" + "ab" + "000000" + "af01" + "0000000d");
  }

  @Test
  void scriptDataIsTagType18() {
    ByteBuf out = Unpooled.buffer();
    FlvTag.write(out, MediaKind.DATA, 0, Unpooled.wrappedBuffer(new byte[] {2, 0, 0}));
    assertThat(hex(out)).startsWith("12000003").endsWith("0000000e");
    assertThat(out.readableBytes()).isEqualTo(3 + FlvTag.OVERHEAD);
  }
}
