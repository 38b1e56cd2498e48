package dev.streamedge.flv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.media.MediaKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class FlvStreamReaderTest {

  private record Read(int type, long timestamp, String body) {
  }

  private final List<Read> read = new ArrayList<>();

  private FlvStreamReader reader(int maxTagSize) {
    return new FlvStreamReader(maxTagSize, (type, timestamp, body) -> read.add(
        new Read(type, timestamp, ByteBufUtil.hexDump(body))));
  }

  /** What FlvTag writes for HTTP-FLV players: the header, a script tag, a video tag, an audio tag. */
  private static ByteBuf stream() {
    ByteBuf out = Unpooled.buffer();
    FlvTag.writeHeader(out, true, true);
    FlvTag.write(out, MediaKind.DATA, 0, Unpooled.wrappedBuffer(new byte[] {2, 0, 1, 'x'}));
    FlvTag.write(out, MediaKind.VIDEO, 0x01234567L, Unpooled.wrappedBuffer(new byte[] {0x17, 1, 0, 0, 0}));
    FlvTag.write(out, MediaKind.AUDIO, 40, Unpooled.wrappedBuffer(new byte[] {(byte) 0xaf, 1, 9}));
    return out;
  }

  private static final List<Read> EXPECTED = List.of(new Read(18, 0, "02000178"),
      new Read(9, 0x01234567L, "1701000000"), new Read(8, 40, "af0109"));

  @Test
  void readsTheTagsThatTheHttpFlvWriterWritesWithTheExtendedTimestamp() throws Exception {
    FlvStreamReader reader = reader(1024);
    reader.feed(stream());
    assertThat(read).isEqualTo(EXPECTED);
    assertThat(reader.tagsRead()).isEqualTo(3);
    assertThat(reader.pendingBytes()).isZero();
  }

  @Test
  void readsTheSameTagsFedOneByteAtATime() throws Exception {
    FlvStreamReader reader = reader(1024);
    ByteBuf all = stream();
    while (all.isReadable()) {
      reader.feed(all.readSlice(1));
    }
    assertThat(read).isEqualTo(EXPECTED);
  }

  @Test
  void holdsATagCutShortUntilItsLastByteComes() throws Exception {
    FlvStreamReader reader = reader(1024);
    ByteBuf all = stream();
    reader.feed(all.readSlice(all.readableBytes() - 1));
    assertThat(read).hasSize(2);
    // The tag header is read; its 3-byte body and PreviousTagSize wait, one byte short.
    assertThat(reader.pendingBytes()).isEqualTo(3 + 4 - 1);
    reader.feed(all);
    assertThat(read).isEqualTo(EXPECTED);
  }

  @Test
  void takesATagOfExactlyTheLimitAndRefusesOneByteMore() throws Exception {
    ByteBuf atLimit = Unpooled.buffer();
    FlvTag.writeHeader(atLimit, false, true);
    FlvTag.write(atLimit, MediaKind.VIDEO, 0, Unpooled.wrappedBuffer(new byte[100]));
    reader(100).feed(atLimit.duplicate());
    assertThat(read).hasSize(1);
    FlvStreamReader small = reader(99);
    assertThatThrownBy(() -> small.feed(atLimit)).isInstanceOf(FlvStreamReader.FormatException.class)
        .hasMessage("FLV tag of 100 bytes, above the limit of 99");
    assertThatThrownBy(() -> small.feed(Unpooled.wrappedBuffer(new byte[1])))
        .as("no further use after a failure").isInstanceOf(FlvStreamReader.FormatException.class);
    assertThat(small.pendingBytes()).isZero();
  }

  @Test
  void refusesWhatIsNotFlvAndEncryptedTags() {
    assertThatThrownBy(() -> reader(1024).feed(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\n".getBytes())))
        .hasMessage("not FLV: no FLV signature");
    ByteBuf bigOffset = Unpooled.buffer().writeBytes("FLV".getBytes()).writeByte(1).writeByte(5).writeInt(4096);
    assertThatThrownBy(() -> reader(1024).feed(bigOffset)).hasMessage("FLV DataOffset 4096 out of 9..1024");
    ByteBuf encrypted = Unpooled.buffer();
    FlvTag.writeHeader(encrypted, true, false);
    encrypted.writeByte(0x20 | 8).writeMedium(1).writeMedium(0).writeByte(0).writeMedium(0).writeByte(0xaf).writeInt(12);
    assertThatThrownBy(() -> reader(1024).feed(encrypted)).hasMessage("encrypted FLV tag (Filter bit set)");
  }

  @Test
  void skipsTagsOfOtherTypes() throws Exception {
    ByteBuf out = Unpooled.buffer();
    FlvTag.writeHeader(out, true, false);
    out.writeByte(15).writeMedium(2).writeMedium(0).writeByte(0).writeMedium(0).writeShort(0).writeInt(13);
    FlvTag.write(out, MediaKind.AUDIO, 7, Unpooled.wrappedBuffer(new byte[] {(byte) 0xaf, 1}));
    FlvStreamReader reader = reader(1024);
    reader.feed(out);
    assertThat(read).containsExactly(new Read(8, 7, "af01"));
  }
}
