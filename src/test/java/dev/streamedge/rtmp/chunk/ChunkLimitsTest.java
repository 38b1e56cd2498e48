package dev.streamedge.rtmp.chunk;

import static dev.streamedge.rtmp.chunk.ChunkTestSupport.concat;
import static dev.streamedge.rtmp.chunk.ChunkTestSupport.counting;
import static dev.streamedge.rtmp.chunk.ChunkTestSupport.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.rtmp.ProtocolException;
import dev.streamedge.rtmp.chunk.ChunkTestSupport.Msg;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("unit")
class ChunkLimitsTest {

  private static final int BIG = 1 << 20;

  private static List<Msg> decode(ChunkDecoder decoder, byte[] input) throws ProtocolException {
    return ChunkTestSupport.decodeWhole(decoder, input);
  }

  private static byte[] type0(int csid, int length, byte[] payload) {
    return concat(hex(String.format("%02x 000000 %06x 09 01000000", csid, length)), payload);
  }

  @Test
  void messageOfExactlyMaxMessageSizeIsAccepted() throws Exception {
    assertThat(decode(new ChunkDecoder(BIG, 100, BIG, ChunkDecoder.ALL_CHUNK_STREAMS), type0(4, 100, counting(100, 0))))
        .hasSize(1);
  }

  @Test
  void messageOneByteOverMaxMessageSizeIsRejectedOnItsHeader() {
    // Only the header arrives: the length alone is enough to refuse.
    assertThatThrownBy(() -> decode(new ChunkDecoder(BIG, 100, BIG, ChunkDecoder.ALL_CHUNK_STREAMS), type0(4, 101, new byte[0])))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("message length 101 exceeds max-message-size 100");
  }

  @Test
  void type1HeaderLengthIsCheckedToo() throws Exception {
    ChunkDecoder decoder = new ChunkDecoder(BIG, 1000, BIG, ChunkDecoder.ALL_CHUNK_STREAMS);
    decode(decoder, type0(4, 1, hex("00")));
    assertThatThrownBy(() -> decode(decoder, hex("44 000000 0003e9 09")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("message length 1001 exceeds max-message-size 1000");
  }

  @Test
  void fullSixteenMegabyteLengthFieldIsRejectedWithoutAllocation() {
    assertThatThrownBy(() -> decode(new ChunkDecoder(BIG, 65536, BIG, ChunkDecoder.ALL_CHUNK_STREAMS), type0(4, 0xFFFFFF, new byte[0])))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("message length 16777215 exceeds max-message-size 65536");
  }

  @Test
  void setChunkSizeOfExactlyMaxChunkSizeIsAccepted() throws Exception {
    ChunkDecoder decoder = new ChunkDecoder(4096, BIG, BIG, ChunkDecoder.ALL_CHUNK_STREAMS);
    decode(decoder, hex("02 000000 000004 01 00000000 00001000"));
    assertThat(decoder.chunkSize()).isEqualTo(4096);
  }

  @Test
  void setChunkSizeOfOneIsAccepted() throws Exception {
    ChunkDecoder decoder = new ChunkDecoder(4096, BIG, BIG, ChunkDecoder.ALL_CHUNK_STREAMS);
    List<Msg> out = decode(decoder, hex("02 000000 000004 01 00000000 00000001"
        + " 03 000000 000003 08 01000000 aa c3 bb c3 cc"));
    assertThat(decoder.chunkSize()).isEqualTo(1);
    assertThat(out.get(1).payload()).isEqualTo("aabbcc");
  }

  @Test
  void setChunkSizeOneOverMaxChunkSizeIsRejected() {
    assertThatThrownBy(() -> decode(new ChunkDecoder(4096, BIG, BIG, ChunkDecoder.ALL_CHUNK_STREAMS),
        hex("02 000000 000004 01 00000000 00001001")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("set chunk size 4097 is outside 1..4096 (max-chunk-size)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"00000000", "80000080", "ffffffff"})
  void setChunkSizeOfZeroOrWithTheTopBitSetIsRejected(String value) {
    assertThatThrownBy(() -> decode(new ChunkDecoder(Integer.MAX_VALUE, BIG, BIG, ChunkDecoder.ALL_CHUNK_STREAMS),
        hex("02 000000 000004 01 00000000 " + value)))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("set chunk size " + Long.parseLong(value, 16) + " is outside 1..");
  }

  @Test
  void setChunkSizeWithoutFourBytesIsRejected() {
    assertThatThrownBy(() -> decode(new ChunkDecoder(BIG, BIG, BIG, ChunkDecoder.ALL_CHUNK_STREAMS),
        hex("02 000000 000003 01 00000000 000080")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("set chunk size payload has 3 bytes, expected 4");
  }

  @Test
  void abortWithoutFourBytesIsRejected() {
    assertThatThrownBy(() -> decode(new ChunkDecoder(BIG, BIG, BIG, ChunkDecoder.ALL_CHUNK_STREAMS),
        hex("02 000000 000000 02 00000000")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("abort payload has 0 bytes, expected 4");
  }

  @Test
  void incompleteBytesAtExactlyTheLimitAreAccepted() throws Exception {
    // Two 200-byte messages in progress hold 2 x 128 bytes; the first one's last chunk adds 72
    // before it completes: 328 bytes at the peak.
    byte[] input = concat(
        type0(4, 200, counting(128, 0)),
        type0(5, 200, counting(128, 0)),
        hex("c4"), counting(72, 0),
        hex("c5"), counting(72, 0));
    assertThat(decode(new ChunkDecoder(BIG, BIG, 328, ChunkDecoder.ALL_CHUNK_STREAMS), input)).hasSize(2);
  }

  @Test
  void incompleteBytesOneOverTheLimitAreRejected() {
    byte[] input = concat(
        type0(4, 200, counting(128, 0)),
        type0(5, 200, counting(128, 0)),
        hex("c4"), counting(72, 0),
        hex("c5"), counting(72, 0));
    assertThatThrownBy(() -> decode(new ChunkDecoder(BIG, BIG, 327, ChunkDecoder.ALL_CHUNK_STREAMS), input))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("incomplete messages would hold 328 bytes, exceeding max-incomplete-bytes 327");
  }

  @Test
  void incompleteBytesAreCountedPerChunkBeforeItsDataArrives() {
    // The second header alone reserves its chunk: no payload byte of it is needed to refuse.
    byte[] input = concat(type0(4, 200, counting(128, 0)), type0(5, 200, new byte[0]));
    assertThatThrownBy(() -> decode(new ChunkDecoder(BIG, BIG, 255, ChunkDecoder.ALL_CHUNK_STREAMS), input))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("incomplete messages would hold 256 bytes, exceeding max-incomplete-bytes 255");
  }

  @Test
  void completedAndAbortedMessagesReleaseTheirIncompleteBytes() throws Exception {
    ChunkDecoder decoder = new ChunkDecoder(BIG, BIG, 200, ChunkDecoder.ALL_CHUNK_STREAMS);
    for (int i = 0; i < 10; i++) {
      decode(decoder, type0(4, 200, counting(128, 0)));
      decode(decoder, hex("02 000000 000004 02 00000000 00000004"));
      decode(decoder, concat(type0(4, 200, counting(128, 0)), hex("c4"), counting(72, 0)));
    }
  }

  @Test
  void zeroLengthMessagesPassAZeroIncompleteLimit() throws Exception {
    assertThat(decode(new ChunkDecoder(BIG, 0, 0, ChunkDecoder.ALL_CHUNK_STREAMS), type0(4, 0, new byte[0]))).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"44 000000 000001 08 aa", "84 000000 aa", "c4 aa", "40 05 000000 000001 08 aa",
      "41 0001 000000 000001 08 aa"})
  void chunkTypes1To3OnAnUnknownChunkStreamAreRejected(String input) {
    assertThatThrownBy(() -> decode(new ChunkDecoder(BIG, BIG, BIG, ChunkDecoder.ALL_CHUNK_STREAMS), hex(input)))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("before any type 0 chunk");
  }

  @ParameterizedTest
  @ValueSource(strings = {"04 000000 000001 08 01000000", "44 000000 000001 08", "84 000000"})
  void newMessageHeaderWhileAMessageIsIncompleteIsRejected(String header) {
    byte[] input = concat(type0(4, 200, counting(128, 0)), hex(header));
    assertThatThrownBy(() -> decode(new ChunkDecoder(BIG, BIG, BIG, ChunkDecoder.ALL_CHUNK_STREAMS), input))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("new message header (chunk type " + (hex(header)[0] >>> 6 & 3)
            + ") on chunk stream 4 while a message has 128 of 200 bytes");
  }

  @Test
  void limitsMustBeNonNegative() {
    assertThatThrownBy(() -> new ChunkDecoder(0, 1, 1, ChunkDecoder.ALL_CHUNK_STREAMS)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChunkDecoder(1, -1, 1, ChunkDecoder.ALL_CHUNK_STREAMS)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChunkDecoder(1, 1, -1, ChunkDecoder.ALL_CHUNK_STREAMS)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void chunkStreamsUpToMaxChunkStreamsAreAccepted() throws ProtocolException {
    ChunkDecoder decoder = new ChunkDecoder(BIG, BIG, BIG, 3);
    for (int csid = 4; csid <= 6; csid++) {
      assertThat(decode(decoder, type0(csid, 1, hex("00")))).hasSize(1);
    }
  }

  @Test
  void oneChunkStreamBeyondMaxChunkStreamsIsRejected() throws ProtocolException {
    ChunkDecoder decoder = new ChunkDecoder(BIG, BIG, BIG, 3);
    for (int csid = 4; csid <= 6; csid++) {
      decode(decoder, type0(csid, 1, hex("00")));
    }
    assertThatThrownBy(() -> decode(decoder, type0(7, 1, hex("00"))))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("max-chunk-streams 3");
  }
}
