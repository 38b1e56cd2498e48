package dev.streamedge.rtmp.amf;

import static dev.streamedge.rtmp.amf.AmfBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.streamedge.rtmp.ProtocolException;
import dev.streamedge.testing.FuzzSeeds;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Seeded random and mutated inputs: every decode must return or throw ProtocolException. A failure
 * message names the seed, the iteration and the input, so it can be replayed.
 */
@Tag("unit")
class AmfFuzzTest {

  /**
   * Seeds every run replays besides its own (see {@link FuzzSeeds}): a seed that found a fault goes
   * here with the fix.
   */
  private static final long[] GOLDEN = {0x5EED_0001L, 0x5EED_0002L};
  private static final int INPUTS_PER_SEED = 100_000;
  private static final byte[] INTERESTING = {0x00, 0x01, 0x02, 0x03, 0x07, 0x09, 0x0A, 0x11, 0x7F, (byte) 0x80, (byte) 0xFF};

  private interface Decoder {
    void decode(ByteBuf in) throws ProtocolException;
  }

  private static List<byte[]> amf0Corpus() {
    Map<String, Object> everything = new LinkedHashMap<>();
    everything.put("n", -0.5);
    everything.put("b", true);
    everything.put("s", "stream");
    everything.put("nil", null);
    everything.put("list", Arrays.asList(1.0, "two", null, List.of()));
    everything.put("when", Instant.ofEpochMilli(1_700_000_000_000L));
    everything.put("meta", Amf0GoldenTest.metadata());
    everything.put("inner", Map.of("level", "info", "code", "NetStream.Publish.Start"));
    return List.of(
        bytes(Amf0GoldenTest.CONNECT_HEX),
        bytes(Amf0GoldenTest.ON_METADATA_HEX),
        ByteBufUtil.getBytes(Amf0.encodeAll("_result", 1.0, Map.of("fmsVer", "FMS/3,0,1,123"), everything)),
        ByteBufUtil.getBytes(Amf0.encodeAll("publish", 5.0, null, "key", "live")),
        bytes("0A 00000002 03 0001 61 00 3FF0000000000000 0000 09 07 0001"),
        bytes("10 0003 466F6F 0001 78 0C 00000002 6869 0000 09 0F 00000004 3C612F3E 06 0D"),
        bytes("02 000c 6f6e4d65746144617461 11 " + Amf3GoldenTest.TRAITS_HEX + " 11 " + Amf3GoldenTest.MIXED_ARRAY_HEX));
  }

  private static List<byte[]> amf3Corpus() {
    return List.of(
        bytes(Amf3GoldenTest.TRAITS_HEX),
        bytes(Amf3GoldenTest.MIXED_ARRAY_HEX),
        bytes("09 0D 01 04 BF FFFFFF 05 3FF8000000000000 08 01 4278BCFE56800000 0C 07 010203 0B 09 3C612F3E 0C 04"),
        bytes("09 09 01 06 07 616263 06 01 06 00 0A 0B 01 03 7A 04 01 03 79 09 03 03 6B 06 00 01 04 05 01"),
        bytes("0A 0B 01 07 616263 0A 01 06 00 02 01 06 00 0A 02 01"));
  }

  @Test
  void amf0DecodeAndDecodeAllOnlyEverThrowProtocolException() {
    List<byte[]> corpus = amf0Corpus();
    for (long seed : FuzzSeeds.with(GOLDEN)) {
      int decoded = run(seed, corpus, in -> {
        int start = in.readerIndex();
        try {
          roundTrips(Amf0.decodeAll(in));
        } finally {
          in.readerIndex(start);
        }
        Amf0.decode(in);
      });
      assertThat(decoded).as("%s: inputs that decoded", FuzzSeeds.describe(seed)).isGreaterThan(INPUTS_PER_SEED / 20);
    }
  }

  @Test
  void amf3DecodeOnlyEverThrowsProtocolException() {
    List<byte[]> corpus = amf3Corpus();
    for (long seed : FuzzSeeds.with(GOLDEN)) {
      int decoded = run(seed, corpus, Amf3::decode);
      assertThat(decoded).as("%s: inputs that decoded", FuzzSeeds.describe(seed)).isGreaterThan(INPUTS_PER_SEED / 20);
    }
  }

  /** What decodes must encode and decode again to an equal value, except AMF3 byte arrays. */
  private static void roundTrips(List<Object> values) throws ProtocolException {
    ByteBuf encoded;
    try {
      encoded = Amf0.encodeAll(values.toArray());
    } catch (IllegalArgumentException e) {
      assertThat(e).hasMessage("AMF0: cannot encode [B");
      return;
    }
    assertThat(Amf0.decodeAll(encoded)).isEqualTo(values);
  }

  /** Returns how many inputs decoded, so a corpus that never gets past the first byte is noticed. */
  private static int run(long seed, List<byte[]> corpus, Decoder decoder) {
    return FuzzSeeds.run(seed, random -> {
      int decoded = 0;
      for (int i = 0; i < INPUTS_PER_SEED; i++) {
        byte[] input = random.nextInt(4) == 0 ? randomBytes(random) : mutate(random, corpus);
        try {
          decoder.decode(Unpooled.wrappedBuffer(input));
          decoded++;
        } catch (ProtocolException expected) {
          // The only acceptable failure.
        } catch (Throwable t) {
          fail(String.format("input %d %s threw %s", i, HexFormat.of().formatHex(input), t), t);
        }
      }
      return decoded;
    });
  }

  private static byte[] randomBytes(Random random) {
    byte[] input = new byte[random.nextInt(64)];
    random.nextBytes(input);
    if (input.length > 0 && random.nextBoolean()) {
      input[0] = (byte) random.nextInt(0x13); // a valid marker makes the rest matter
    }
    return input;
  }

  private static byte[] mutate(Random random, List<byte[]> corpus) {
    byte[] input = corpus.get(random.nextInt(corpus.size())).clone();
    int mutations = 1 + random.nextInt(3);
    for (int m = 0; m < mutations && input.length > 0; m++) {
      int at = random.nextInt(input.length);
      switch (random.nextInt(7)) {
        case 0 -> input[at] ^= (byte) (1 << random.nextInt(8));
        case 1 -> input[at] = INTERESTING[random.nextInt(INTERESTING.length)];
        case 2 -> input = insert(input, at, (byte) random.nextInt(256));
        case 3 -> input = delete(input, at);
        case 4 -> corruptLength(random, input, at);
        case 5 -> input = Arrays.copyOf(input, at);
        default -> input = duplicate(random, input, at);
      }
    }
    return input;
  }

  /** Overwrites two or four bytes with a length-like value: huge, off by one, or zero. */
  private static void corruptLength(Random random, byte[] input, int at) {
    int width = random.nextBoolean() ? 2 : 4;
    long value = switch (random.nextInt(4)) {
      case 0 -> 0xFFFF_FFFFL;
      case 1 -> 0;
      case 2 -> random.nextInt(input.length + 2);
      default -> 0x7FFF_FFFFL;
    };
    for (int b = 0; b < width && at + b < input.length; b++) {
      input[at + b] = (byte) (value >>> (8 * (width - 1 - b)));
    }
  }

  private static byte[] insert(byte[] input, int at, byte value) {
    byte[] out = new byte[input.length + 1];
    System.arraycopy(input, 0, out, 0, at);
    out[at] = value;
    System.arraycopy(input, at, out, at + 1, input.length - at);
    return out;
  }

  private static byte[] delete(byte[] input, int at) {
    byte[] out = new byte[input.length - 1];
    System.arraycopy(input, 0, out, 0, at);
    System.arraycopy(input, at + 1, out, at, input.length - at - 1);
    return out;
  }

  /** Repeats a slice in place, which multiplies nested structures and references. */
  private static byte[] duplicate(Random random, byte[] input, int at) {
    int length = 1 + random.nextInt(Math.min(32, input.length - at));
    byte[] out = new byte[input.length + length];
    System.arraycopy(input, 0, out, 0, at + length);
    System.arraycopy(input, at, out, at + length, input.length - at);
    return out;
  }
}
