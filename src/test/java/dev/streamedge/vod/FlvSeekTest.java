package dev.streamedge.vod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Byte-level: FLV files built tag by tag (Adobe FLV spec v10.1 §E.3, §E.4), and where a seek lands in them. */
@Tag("unit")
class FlvSeekTest {

  @TempDir
  Path dir;

  /** The file offset of each tag written, in order. */
  private final java.util.List<Long> offsets = new java.util.ArrayList<>();
  private final ByteBuf file = Unpooled.buffer();

  private void header() {
    file.writeBytes(new byte[] {'F', 'L', 'V', 1, 5, 0, 0, 0, 9, 0, 0, 0, 0});
  }

  private void tag(int type, long timestamp, byte... body) {
    offsets.add((long) file.writerIndex());
    file.writeByte(type).writeMedium(body.length).writeMedium((int) (timestamp & 0xFFFFFF))
        .writeByte((int) (timestamp >>> 24)).writeMedium(0).writeBytes(body).writeInt(11 + body.length);
  }

  private static final byte[] ON_METADATA = {2, 0, 10, 'o', 'n', 'M', 'e', 't', 'a', 'D', 'a', 't', 'a'};
  private static final byte[] AVC_CONFIG = {0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1F};
  private static final byte[] AAC_CONFIG = {(byte) 0xAF, 0, 0x12, 0x10};
  private static final byte[] KEYFRAME = {0x17, 1, 0, 0, 0, 0x65};
  private static final byte[] INTERFRAME = {0x27, 1, 0, 0, 0, 0x41};
  private static final byte[] AAC_FRAME = {(byte) 0xAF, 1, 0x21};

  private FlvSeek.Point seek(long millis) throws IOException {
    Path path = dir.resolve("f.flv");
    Files.write(path, ByteBufUtil.getBytes(file));
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      return FlvSeek.find(channel::read, millis, 1 << 20);
    }
  }

  /** Sequence headers, then a keyframe every second with an interframe and audio between. */
  private void threeSeconds() {
    header();
    tag(18, 0, ON_METADATA);
    tag(9, 0, AVC_CONFIG);
    tag(8, 0, AAC_CONFIG);
    for (int second = 0; second < 3; second++) {
      tag(9, second * 1000L, KEYFRAME);
      tag(8, second * 1000L + 10, AAC_FRAME);
      tag(9, second * 1000L + 500, INTERFRAME);
    }
  }

  @Test
  void aSeekStartsAtTheLastKeyframeAtOrBeforeItsTimeWithTheSequenceHeadersBeforeIt() throws IOException {
    threeSeconds();
    FlvSeek.Point point = seek(1999);
    // tags: 0 metadata, 1 AVC config, 2 AAC config, 3 key@0, 4, 5, 6 key@1000, ...
    assertThat(point.offset()).isEqualTo(offsets.get(6));
    assertThat(point.timestamp()).isEqualTo(1000);
    assertThat(ByteBufUtil.getBytes(point.videoConfig())).isEqualTo(AVC_CONFIG);
    assertThat(ByteBufUtil.getBytes(point.audioConfig())).isEqualTo(AAC_CONFIG);
    assertThat(seek(2000).offset()).as("exactly on a keyframe").isEqualTo(offsets.get(9));
    assertThat(seek(60_000).offset()).as("past the end: the last keyframe").isEqualTo(offsets.get(9));
  }

  @Test
  void aSeekBeforeTheFirstKeyframeStartsAtTheFirstMedia() throws IOException {
    header();
    tag(9, 0, AVC_CONFIG);
    tag(8, 0, AAC_FRAME);
    tag(9, 100, KEYFRAME);
    FlvSeek.Point point = seek(50);
    assertThat(point.offset()).isEqualTo(offsets.get(0));
    assertThat(point.videoConfig()).isNull();
  }

  @Test
  void inAFileWithoutVideoASeekStartsAtTheLastAudioFrameAtOrBeforeItsTime() throws IOException {
    header();
    tag(8, 0, AAC_CONFIG);
    for (int i = 0; i < 10; i++) {
      tag(8, i * 23L, AAC_FRAME);
    }
    FlvSeek.Point point = seek(100);
    assertThat(point.timestamp()).isEqualTo(92);
    assertThat(point.offset()).isEqualTo(offsets.get(5));
    assertThat(ByteBufUtil.getBytes(point.audioConfig())).isEqualTo(AAC_CONFIG);
  }

  @Test
  void anExtendedTimestampIsReadAsItsUpperByte() throws IOException {
    header();
    tag(9, 0x01000000L + 5, KEYFRAME);
    assertThat(seek(0x01000000L + 10).timestamp()).isEqualTo(0x01000000L + 5);
  }

  @Test
  void aTagAboveTheLimitOrAFileThatIsNotFlvIsAnError() throws IOException {
    header();
    file.writeByte(9).writeMedium(0xFFFFFF).writeMedium(0).writeByte(0).writeMedium(0);
    assertThatThrownBy(() -> seek(0)).isInstanceOf(IOException.class).hasMessageContaining("above the limit");
    file.clear().writeBytes("not a video at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> seek(0)).isInstanceOf(IOException.class).hasMessageContaining("not an FLV file");
  }

  @Test
  void aDataOffsetNoMuxerWritesIsAnError() throws IOException {
    file.writeBytes(new byte[] {'F', 'L', 'V', 1, 5, 0, 2, 0, 9, 0, 0, 0, 0});
    assertThatThrownBy(() -> seek(0)).isInstanceOf(IOException.class).hasMessageContaining("DataOffset 131081");
  }

  @Test
  void aTruncatedLastTagEndsTheScan() throws IOException {
    threeSeconds();
    file.writeByte(9).writeMedium(100).writeMedium(3000);
    assertThat(seek(5000).timestamp()).isEqualTo(2000);
  }
}
