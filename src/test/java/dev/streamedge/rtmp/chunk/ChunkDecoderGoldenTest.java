package dev.streamedge.rtmp.chunk;

import static dev.streamedge.rtmp.chunk.ChunkTestSupport.concat;
import static dev.streamedge.rtmp.chunk.ChunkTestSupport.counting;
import static dev.streamedge.rtmp.chunk.ChunkTestSupport.hex;
import static dev.streamedge.rtmp.chunk.ChunkTestSupport.range;
import static dev.streamedge.rtmp.chunk.ChunkTestSupport.toHex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.rtmp.ProtocolException;
import dev.streamedge.rtmp.chunk.ChunkTestSupport.Msg;
import dev.streamedge.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("unit")
class ChunkDecoderGoldenTest {

  private static final int MAX = 1 << 20;

  /**
   * Decodes the input whole, byte by byte and in random splits, each with a fresh decoder; all must
   * produce {@code expected}. Returns the decoder that saw the whole input.
   */
  private static ChunkDecoder assertDecodes(byte[] input, Msg... expected) throws ProtocolException {
    ChunkDecoder whole = new ChunkDecoder(MAX, MAX, MAX, ChunkDecoder.ALL_CHUNK_STREAMS);
    assertThat(ChunkTestSupport.decodeWhole(whole, input)).containsExactly(expected);
    assertThat(ChunkTestSupport.decodeSplit(new ChunkDecoder(MAX, MAX, MAX, ChunkDecoder.ALL_CHUNK_STREAMS), input, new Random(0), 1))
        .as("byte by byte").containsExactly(expected);
    for (int seed = 1; seed <= 40; seed++) {
      Random random = new Random(seed);
      assertThat(ChunkTestSupport.decodeSplit(new ChunkDecoder(MAX, MAX, MAX, ChunkDecoder.ALL_CHUNK_STREAMS), input, random,
          1 + random.nextInt(300))).as("random split, seed %d", seed).containsExactly(expected);
    }
    return whole;
  }

  @Test
  void specAudioExampleUsesTypes0Then2Then3WithAccumulatingDelta() throws Exception {
    // RTMP 1.0 §5.3.2.1: four 32-byte audio messages, stream 12345, 20 ms apart.
    byte[] a = counting(32, 0x00);
    byte[] b = counting(32, 0x20);
    byte[] c = counting(32, 0x40);
    byte[] d = counting(32, 0x60);
    byte[] input = concat(
        hex("03 0003e8 000020 08 39300000"), a,
        hex("83 000014"), b,
        hex("c3"), c,
        hex("c3"), d);
    assertDecodes(input,
        new Msg(3, 8, 12345, 1000, toHex(a)),
        new Msg(3, 8, 12345, 1020, toHex(b)),
        new Msg(3, 8, 12345, 1040, toHex(c)),
        new Msg(3, 8, 12345, 1060, toHex(d)));
  }

  @Test
  void specVideoExampleReassemblesTypes3Continuations() throws Exception {
    // RTMP 1.0 §5.3.2.2: a 307-byte video message at the default chunk size of 128.
    byte[] video = counting(307, 7);
    byte[] input = concat(
        hex("04 0003e8 000133 09 3a300000"), range(video, 0, 128),
        hex("c4"), range(video, 128, 256),
        hex("c4"), range(video, 256, 307));
    assertDecodes(input, new Msg(4, 9, 12346, 1000, toHex(video)));
  }

  @Test
  void connectCommandSplitAtChunkSize128() throws Exception {
    byte[] connect = connectCommand();
    assertThat(connect).hasSize(0x86);
    byte[] input = concat(
        hex("03 000000 000086 14 00000000"), range(connect, 0, 128),
        hex("c3"), range(connect, 128, 0x86));
    assertDecodes(input, new Msg(3, 20, 0, 0, toHex(connect)));
  }

  @ParameterizedTest(name = "csid {0}")
  @CsvSource({
      "2,     02,       c2",
      "63,    3f,       ff",
      "64,    00 00,    c0 00",
      "319,   00 ff,    c0 ff",
      "320,   01 00 01, c1 00 01",
      "65599, 01 ff ff, c1 ff ff"})
  void basicHeaderOfOneTwoOrThreeBytes(int csid, String type0, String type3) throws Exception {
    // A type 3 chunk after a type 0 one reuses the type 0 timestamp as its delta (§5.3.1.2.4).
    byte[] input = concat(
        hex(type0 + " 00000a 000003 09 01000000 aabbcc"),
        hex(type3 + " ddeeff"));
    assertDecodes(input,
        new Msg(csid, 9, 1, 10, "aabbcc"),
        new Msg(csid, 9, 1, 20, "ddeeff"));
  }

  @Test
  void threeByteBasicHeaderMayCarrySmallIds() throws Exception {
    assertDecodes(hex("01 00 00 000000 000001 08 00000000 55"), new Msg(64, 8, 0, 0, "55"));
  }

  @Test
  void extendedTimestampOnType0AndItsType3Continuation() throws Exception {
    byte[] video = counting(200, 1);
    byte[] input = concat(
        hex("05 ffffff 0000c8 09 01000000 12345678"), range(video, 0, 128),
        hex("c5 12345678"), range(video, 128, 200));
    assertDecodes(input, new Msg(5, 9, 1, 0x12345678L, toHex(video)));
  }

  @Test
  void extendedTimestampAtExactly0xffffff() throws Exception {
    assertDecodes(hex("05 ffffff 000001 09 01000000 00ffffff 77"),
        new Msg(5, 9, 1, 0xFFFFFFL, "77"));
  }

  @Test
  void extendedDeltaRepeatsOnType3StartingANewMessage() throws Exception {
    byte[] input = hex("07 000000 000001 08 01000000 11"
        + " 87 ffffff 01000000 22"
        + " c7 01000000 33");
    assertDecodes(input,
        new Msg(7, 8, 1, 0, "11"),
        new Msg(7, 8, 1, 0x01000000L, "22"),
        new Msg(7, 8, 1, 0x02000000L, "33"));
  }

  @Test
  void timestampDeltaWrapsAt2To32() throws Exception {
    byte[] input = hex("06 ffffff 000001 08 01000000 fffffff0 aa"
        + " 86 000020 bb"
        + " c6 cc");
    assertDecodes(input,
        new Msg(6, 8, 1, 0xFFFFFFF0L, "aa"),
        new Msg(6, 8, 1, 0x10, "bb"),
        new Msg(6, 8, 1, 0x30, "cc"));
  }

  @Test
  void type1ChangesLengthAndTypeButKeepsStreamId() throws Exception {
    byte[] input = hex("08 000064 000001 08 05000000 01"
        + " 48 00000a 000002 09 0203");
    assertDecodes(input,
        new Msg(8, 8, 5, 100, "01"),
        new Msg(8, 9, 5, 110, "0203"));
  }

  @Test
  void setChunkSizeAppliesToTheNextChunkInTheSameInput() throws Exception {
    byte[] video = counting(300, 3);
    byte[] input = concat(
        hex("02 000000 000004 01 00000000 00001000"),
        hex("04 000000 00012c 09 01000000"), video);
    ChunkDecoder decoder = assertDecodes(input,
        new Msg(2, 1, 0, 0, "00001000"),
        new Msg(4, 9, 1, 0, toHex(video)));
    assertThat(decoder.chunkSize()).isEqualTo(4096);
  }

  @Test
  void chunkSizeStartsAt128() {
    assertThat(new ChunkDecoder(MAX, MAX, MAX, ChunkDecoder.ALL_CHUNK_STREAMS).chunkSize()).isEqualTo(128);
  }

  @Test
  void abortDiscardsThePartialMessageOnItsChunkStream() throws Exception {
    byte[] input = concat(
        hex("04 000000 00012c 09 01000000"), counting(128, 0),
        hex("02 000000 000004 02 00000000 00000004"),
        hex("04 000064 000002 09 01000000 ddee"),
        hex("c4 1122"));
    assertDecodes(input,
        new Msg(2, 2, 0, 0, "00000004"),
        new Msg(4, 9, 1, 100, "ddee"),
        new Msg(4, 9, 1, 200, "1122"));
  }

  @Test
  void abortOfAnIdleChunkStreamIsHarmless() throws Exception {
    assertDecodes(hex("02 000000 000004 02 00000000 00000009"), new Msg(2, 2, 0, 0, "00000009"));
  }

  @Test
  void interleavedChunkStreamsCompleteInArrivalOrder() throws Exception {
    byte[] video = counting(200, 9);
    byte[] input = concat(
        hex("04 000000 0000c8 09 01000000"), range(video, 0, 128),
        hex("03 000005 000004 08 01000000 01020304"),
        hex("c4"), range(video, 128, 200));
    assertDecodes(input,
        new Msg(3, 8, 1, 5, "01020304"),
        new Msg(4, 9, 1, 0, toHex(video)));
  }

  @Test
  void zeroLengthMessagesAreEmitted() throws Exception {
    ChunkDecoder decoder = new ChunkDecoder(MAX, MAX, MAX, ChunkDecoder.ALL_CHUNK_STREAMS);
    List<RtmpMessage> out = new ArrayList<>();
    decoder.decode(Unpooled.wrappedBuffer(hex("08 000005 000000 12 01000000 c8")), out::add);
    assertThat(out).extracting(RtmpMessage::timestamp).containsExactly(5L, 10L);
    assertThat(out).allSatisfy(m -> assertThat(m.length()).isZero());
    assertDecodes(hex("08 000005 000000 12 01000000 c8"),
        new Msg(8, 18, 1, 5, ""), new Msg(8, 18, 1, 10, ""));
  }

  @Test
  void payloadsAreIndependentHeapBuffersOfTheMessageLength() throws Exception {
    byte[] video = counting(300, 0);
    ByteBuf in = Unpooled.wrappedBuffer(concat(
        hex("04 000000 00012c 09 01000000"), range(video, 0, 128),
        hex("c4"), range(video, 128, 256),
        hex("c4"), range(video, 256, 300)));
    List<RtmpMessage> out = new ArrayList<>();
    new ChunkDecoder(MAX, MAX, MAX, ChunkDecoder.ALL_CHUNK_STREAMS).decode(in, out::add);
    ByteBuf payload = out.get(0).payload();
    assertThat(payload.hasArray()).isTrue();
    assertThat(payload.readableBytes()).isEqualTo(300);
    in.setByte(20, 0x7f);
    assertThat(ChunkTestSupport.bytes(payload)).isEqualTo(video);
  }

  /** An AMF0 connect command as FFmpeg/OBS send it (RTMP 1.0 §7.2.1.1), 134 bytes. */
  private static byte[] connectCommand() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    amfString(out, "connect");
    out.writeBytes(hex("00 3ff0000000000000")); // transaction id 1.0
    out.write(0x03);
    amfProperty(out, "app", "live");
    amfProperty(out, "type", "nonprivate");
    amfProperty(out, "flashVer", "FMLE/3.0 (compatible; FMSc/1.0)");
    amfProperty(out, "tcUrl", "rtmp://localhost:1935/live");
    out.writeBytes(hex("000009"));
    return out.toByteArray();
  }

  private static void amfProperty(ByteArrayOutputStream out, String name, String value) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    out.write(n.length >> 8);
    out.write(n.length);
    out.writeBytes(n);
    amfString(out, value);
  }

  private static void amfString(ByteArrayOutputStream out, String value) {
    byte[] v = value.getBytes(StandardCharsets.UTF_8);
    out.write(0x02);
    out.write(v.length >> 8);
    out.write(v.length);
    out.writeBytes(v);
  }
}
