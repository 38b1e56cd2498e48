package dev.streamedge.rtmp.chunk;

import static dev.streamedge.rtmp.chunk.ChunkTestSupport.bytes;
import static dev.streamedge.rtmp.chunk.ChunkTestSupport.concat;
import static dev.streamedge.rtmp.chunk.ChunkTestSupport.counting;
import static dev.streamedge.rtmp.chunk.ChunkTestSupport.hex;
import static dev.streamedge.rtmp.chunk.ChunkTestSupport.message;
import static dev.streamedge.rtmp.chunk.ChunkTestSupport.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.rtmp.chunk.ChunkTestSupport.Msg;
import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("unit")
class ChunkEncoderGoldenTest {

  private static final int[] CHUNK_SIZES = {1, 2, 7, 128, 129, 1000, 4096, 60000, 65536};

  private static void assertStandalone(RtmpMessage message, int chunkSize, byte[] expected) {
    assertThat(bytes(ChunkEncoder.encodeStandalone(message, chunkSize))).isEqualTo(expected);
    assertThat(ChunkEncoder.standaloneLength(message, chunkSize)).isEqualTo(expected.length);
    ByteBuf out = Unpooled.buffer().writeBytes(hex("abcd"));
    ChunkEncoder.encodeStandalone(message, chunkSize, out);
    assertThat(bytes(out)).isEqualTo(concat(hex("abcd"), expected));
  }

  @ParameterizedTest(name = "csid {0}")
  @CsvSource({
      "6,   06,       c6",
      "64,  00 00,    c0 00",
      "320, 01 00 01, c1 00 01"})
  void standalone300ByteVideoIsAType0ChunkAndTwoType3Continuations(int csid, String type0,
      String type3) {
    byte[] video = counting(300, 5);
    assertStandalone(message(csid, MessageType.VIDEO, 1, 1000, video), 128, concat(
        hex(type0 + " 0003e8 00012c 09 01000000"), range(video, 0, 128),
        hex(type3), range(video, 128, 256),
        hex(type3), range(video, 256, 300)));
  }

  @Test
  void standaloneRepeatsTheExtendedTimestampOnEveryChunk() {
    byte[] video = counting(300, 5);
    assertStandalone(message(6, MessageType.VIDEO, 1, 0x12345678L, video), 128, concat(
        hex("06 ffffff 00012c 09 01000000 12345678"), range(video, 0, 128),
        hex("c6 12345678"), range(video, 128, 256),
        hex("c6 12345678"), range(video, 256, 300)));
  }

  @Test
  void standaloneUsesTheExtendedTimestampFrom0xffffffUpTo2To32Minus1() {
    assertStandalone(message(3, MessageType.AUDIO, 1, 0xFFFFFEL, hex("01")), 128,
        hex("03 fffffe 000001 08 01000000 01"));
    assertStandalone(message(3, MessageType.AUDIO, 1, 0xFFFFFFL, hex("01")), 128,
        hex("03 ffffff 000001 08 01000000 00ffffff 01"));
    assertStandalone(message(3, MessageType.AUDIO, 1, 0xFFFFFFFFL, hex("01")), 128,
        hex("03 ffffff 000001 08 01000000 ffffffff 01"));
  }

  @Test
  void standaloneZeroLengthMessageIsOneHeader() {
    assertStandalone(message(5, MessageType.DATA_AMF0, 1, 7, new byte[0]), 128,
        hex("05 000007 000000 12 01000000"));
  }

  @Test
  void standaloneMessageOfExactlyOneChunkHasNoContinuation() {
    byte[] data = counting(128, 0);
    assertStandalone(message(5, MessageType.VIDEO, 1, 0, data), 128,
        concat(hex("05 000000 000080 09 01000000"), data));
  }

  @Test
  void encodersReadThePayloadByIndexWithoutConsumingIt() {
    ByteBuf payload = Unpooled.wrappedBuffer(counting(300, 0));
    payload.readerIndex(100);
    RtmpMessage message = new RtmpMessage(4, MessageType.VIDEO, 1, 0, payload);
    byte[] standalone = bytes(ChunkEncoder.encodeStandalone(message, 128));
    ByteBuf stateful = Unpooled.buffer();
    new ChunkEncoder(128).encode(message, stateful);
    assertThat(payload.readerIndex()).isEqualTo(100);
    assertThat(payload.writerIndex()).isEqualTo(300);
    byte[] expected = concat(hex("04 000000 0000c8 09 01000000"), counting(128, 100),
        hex("c4"), counting(72, 228));
    assertThat(standalone).isEqualTo(expected);
    assertThat(bytes(stateful)).isEqualTo(expected);
  }

  @Test
  void statefulEncoderCompressesARegularAudioStreamLikeTheSpecExample() {
    // RTMP 1.0 §5.3.2.1, then a length change (type 1), a stream change and a backward seek (type 0).
    byte[] a = counting(32, 0);
    byte[] b = counting(32, 1);
    byte[] c = counting(32, 2);
    byte[] d = counting(32, 3);
    byte[] e = counting(16, 4);
    byte[] f = counting(16, 5);
    byte[] g = counting(16, 6);
    ChunkEncoder encoder = new ChunkEncoder(128);
    ByteBuf out = Unpooled.buffer();
    encoder.encode(message(4, MessageType.AUDIO, 1, 1000, a), out);
    encoder.encode(message(4, MessageType.AUDIO, 1, 1020, b), out);
    encoder.encode(message(4, MessageType.AUDIO, 1, 1040, c), out);
    encoder.encode(message(4, MessageType.AUDIO, 1, 1060, d), out);
    encoder.encode(message(4, MessageType.AUDIO, 1, 1080, e), out);
    encoder.encode(message(4, MessageType.AUDIO, 2, 1100, f), out);
    encoder.encode(message(4, MessageType.AUDIO, 2, 500, g), out);
    assertThat(bytes(out)).isEqualTo(concat(
        hex("04 0003e8 000020 08 01000000"), a,
        hex("84 000014"), b,
        hex("c4"), c,
        hex("c4"), d,
        hex("44 000014 000010 08"), e,
        hex("04 00044c 000010 08 02000000"), f,
        hex("04 0001f4 000010 08 02000000"), g));
  }

  @Test
  void statefulEncoderStatesTheDeltaAfterType0InsteadOfType3() {
    ChunkEncoder encoder = new ChunkEncoder(128);
    ByteBuf out = Unpooled.buffer();
    encoder.encode(message(4, MessageType.AUDIO, 1, 20, hex("01")), out);
    encoder.encode(message(4, MessageType.AUDIO, 1, 40, hex("02")), out);
    encoder.encode(message(4, MessageType.AUDIO, 1, 60, hex("03")), out);
    assertThat(bytes(out)).isEqualTo(hex("04 000014 000001 08 01000000 01"
        + " 84 000014 02"
        + " c4 03"));
  }

  @Test
  void statefulEncoderWrapsDeltasAt2To32() {
    ChunkEncoder encoder = new ChunkEncoder(128);
    ByteBuf out = Unpooled.buffer();
    encoder.encode(message(4, MessageType.AUDIO, 1, 0xFFFFFFF0L, hex("01")), out);
    encoder.encode(message(4, MessageType.AUDIO, 1, 0x10, hex("02")), out);
    assertThat(bytes(out)).isEqualTo(hex("04 ffffff 000001 08 01000000 fffffff0 01"
        + " 84 000020 02"));
  }

  @Test
  void statefulEncoderRepeatsAnExtendedDeltaOnType3Chunks() {
    ChunkEncoder encoder = new ChunkEncoder(2);
    ByteBuf out = Unpooled.buffer();
    encoder.encode(message(4, MessageType.AUDIO, 1, 0, hex("0102")), out);
    encoder.encode(message(4, MessageType.AUDIO, 1, 0x01000000L, hex("0304")), out);
    encoder.encode(message(4, MessageType.AUDIO, 1, 0x02000000L, hex("050607")), out);
    encoder.encode(message(4, MessageType.AUDIO, 1, 0x03000000L, hex("08090a")), out);
    assertThat(bytes(out)).isEqualTo(hex("04 000000 000002 08 01000000 0102"
        + " 84 ffffff 01000000 0304"
        + " 44 ffffff 000003 08 01000000 0506 c4 01000000 07"
        + " c4 01000000 0809 c4 01000000 0a"));
  }

  @Test
  void setChunkSizeChangesTheSplitOfLaterMessages() {
    ChunkEncoder encoder = new ChunkEncoder(128);
    ByteBuf out = Unpooled.buffer();
    encoder.setChunkSize(2);
    encoder.encode(message(3, MessageType.AUDIO, 1, 0, hex("010203")), out);
    assertThat(bytes(out)).isEqualTo(hex("03 000000 000003 08 01000000 0102 c3 03"));
  }

  @Test
  void encodersRejectWhatTheWireCannotCarry() {
    assertThatThrownBy(() -> ChunkEncoder.encodeStandalone(message(1, 8, 0, 0, hex("01")), 128))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChunkEncoder.encodeStandalone(message(65600, 8, 0, 0, hex("01")), 128))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChunkEncoder.encodeStandalone(message(3, 8, 0, 1L << 32, hex("01")), 128))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChunkEncoder.encodeStandalone(message(3, 8, 0, 0, hex("01")), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChunkEncoder(128).encode(message(3, 256, 0, 0, hex("01")),
        Unpooled.buffer())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decodeOfStandaloneEncodingRoundTripsRandomMessages() throws Exception {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    try {
      for (int round = 0; round < 60; round++) {
        int chunkSize = CHUNK_SIZES[random.nextInt(CHUNK_SIZES.length)];
        List<Msg> sent = new ArrayList<>();
        ByteBuf wire = Unpooled.buffer();
        RtmpMessage setChunkSize = setChunkSize(chunkSize);
        sent.add(Msg.of(setChunkSize));
        ChunkEncoder.encodeStandalone(setChunkSize, 128, wire);
        for (int i = 0; i < 40; i++) {
          RtmpMessage message = randomMessage(random);
          sent.add(Msg.of(message));
          int before = wire.writerIndex();
          ChunkEncoder.encodeStandalone(message, chunkSize, wire);
          assertThat(wire.writerIndex() - before)
              .isEqualTo(ChunkEncoder.standaloneLength(message, chunkSize));
        }
        assertThat(decodeInRandomSplits(bytes(wire), random)).containsExactlyElementsOf(sent);
      }
    } catch (AssertionError | Exception e) {
      throw new AssertionError("seed " + seed, e);
    }
  }

  @Test
  void decodeOfStatefulEncodingRoundTripsRandomMessages() throws Exception {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    try {
      for (int round = 0; round < 60; round++) {
        ChunkEncoder encoder = new ChunkEncoder(128);
        List<Msg> sent = new ArrayList<>();
        ByteBuf wire = Unpooled.buffer();
        for (int i = 0; i < 60; i++) {
          RtmpMessage message;
          if (random.nextInt(10) == 0) {
            int chunkSize = CHUNK_SIZES[random.nextInt(CHUNK_SIZES.length)];
            message = setChunkSize(chunkSize);
            encoder.encode(message, wire);
            encoder.setChunkSize(chunkSize);
          } else {
            message = randomMessage(random);
            encoder.encode(message, wire);
          }
          sent.add(Msg.of(message));
        }
        assertThat(decodeInRandomSplits(bytes(wire), random)).containsExactlyElementsOf(sent);
      }
    } catch (AssertionError | Exception e) {
      throw new AssertionError("seed " + seed, e);
    }
  }

  private static List<Msg> decodeInRandomSplits(byte[] wire, Random random) throws Exception {
    ChunkDecoder decoder = new ChunkDecoder(65536, 1 << 24, 1 << 26, ChunkDecoder.ALL_CHUNK_STREAMS);
    return ChunkTestSupport.decodeSplit(decoder, wire, random, 1 + random.nextInt(5000));
  }

  private static RtmpMessage setChunkSize(int chunkSize) {
    return message(2, MessageType.SET_CHUNK_SIZE, 0, 0, hex(String.format("%08x", chunkSize)));
  }

  /** Few chunk streams so headers get compressed; timestamps step, wrap, jump back and overflow. */
  private static final int[] CHUNK_STREAM_IDS = {3, 4, 5, 63, 64, 319, 320, 65599};
  private static final int[] TYPES = {MessageType.AUDIO, MessageType.VIDEO, MessageType.DATA_AMF0,
      MessageType.COMMAND_AMF0, MessageType.USER_CONTROL, MessageType.AGGREGATE};

  private final long[] timestamps = new long[ChunkFormat.MAX_CHUNK_STREAM_ID + 1];

  private RtmpMessage randomMessage(Random random) {
    int csid = CHUNK_STREAM_IDS[random.nextInt(CHUNK_STREAM_IDS.length)];
    long timestamp = switch (random.nextInt(8)) {
      case 0 -> random.nextLong() & 0xFFFFFFFFL;
      case 1 -> 0xFFFFFFFFL - random.nextInt(100);
      case 2 -> 0xFFFFFF + random.nextInt(3) - 1;
      case 3 -> (timestamps[csid] - random.nextInt(1000)) & 0xFFFFFFFFL;
      default -> (timestamps[csid] + random.nextInt(3) * 20L) & 0xFFFFFFFFL;
    };
    timestamps[csid] = timestamp;
    int length = switch (random.nextInt(10)) {
      case 0 -> 0;
      case 1 -> random.nextInt(70000);
      default -> random.nextInt(3) == 0 ? 32 : random.nextInt(600);
    };
    byte[] payload = new byte[length];
    random.nextBytes(payload);
    return message(csid, TYPES[random.nextInt(TYPES.length)], random.nextInt(3), timestamp, payload);
  }
}
