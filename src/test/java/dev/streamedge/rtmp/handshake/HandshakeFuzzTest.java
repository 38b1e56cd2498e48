package dev.streamedge.rtmp.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.rtmp.ProtocolException;
import dev.streamedge.testing.FuzzSeeds;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Random and bit-flipped inputs to both sides: the only outcomes allowed are a well-formed answer
 * or a {@link ProtocolException}. Anything else propagates and fails the test.
 */
@Tag("unit")
class HandshakeFuzzTest {
  private static final int POOL = 32;
  /**
   * Seeds every run replays besides its own (see {@link FuzzSeeds}): a seed that found a fault goes
   * here with the fix.
   */
  private static final long[] GOLDEN = {};

  @Test
  void serverAnswersOrRejectsRandomAndMutatedC0c1() {
    for (long seed : FuzzSeeds.with(GOLDEN)) {
      FuzzSeeds.run(seed, HandshakeFuzzTest::serverAnswersOrRejects);
    }
  }

  private static Void serverAnswersOrRejects(Random random) throws ProtocolException {
    byte[][] valid = validDigestC0c1s(random);
    int answered = 0;
    int digestAnswers = 0;
    int rejected = 0;
    int inputs = 120_000;
    for (int i = 0; i < inputs; i++) {
      byte[] input = switch (i % 4) {
        case 0 -> randomBytes(random);
        case 1 -> flipBits(valid[random.nextInt(POOL)].clone(), random);
        case 2 -> flipOffsetOrDigestBits(valid[random.nextInt(POOL)].clone(), random);
        default -> {
          byte[] c0c1 = new byte[Handshake.C0C1_SIZE];
          random.nextBytes(c0c1);
          c0c1[0] = random.nextInt(8) == 0 ? (byte) random.nextInt(256) : 3;
          yield c0c1;
        }
      };
      try {
        byte[] out = ServerHandshake.respond(input, random);
        assertThat(out).hasSize(Handshake.S0S1S2_SIZE);
        assertThat(out[0]).isEqualTo((byte) 3);
        answered++;
        if (out[1 + 4] != 0) {
          digestAnswers++;
        }
      } catch (ProtocolException e) {
        assertThat(e.getMessage()).isNotBlank();
        rejected++;
      }
    }
    assertThat(answered + rejected).isEqualTo(inputs);
    assertThat(answered).isGreaterThan(inputs / 2);
    assertThat(digestAnswers).isGreaterThan(1000);
    assertThat(rejected).isGreaterThan(1000);
    return null;
  }

  @Test
  void rtmpeServerAnswersOrRejectsRandomAndMutatedC0c1() {
    for (long seed : FuzzSeeds.with(GOLDEN)) {
      FuzzSeeds.run(seed, HandshakeFuzzTest::rtmpeServerAnswersOrRejects);
    }
  }

  /**
   * RTMPE C0+C1s: random, bit-flipped valid ones, and valid ones carrying random public keys (some not
   * below p, a few 0 or 1). A valid digest costs two modPows, so fewer inputs than for the plain side.
   */
  private static Void rtmpeServerAnswersOrRejects(Random random) throws ProtocolException {
    byte[][] valid = new byte[POOL][];
    for (int i = 0; i < POOL; i++) {
      valid[i] = EncryptedHandshake.hello(random).c0c1();
    }
    int answered = 0;
    int rejected = 0;
    int inputs = 1_500;
    for (int i = 0; i < inputs; i++) {
      byte[] input = switch (i % 4) {
        case 0 -> {
          byte[] bytes = randomBytes(random);
          if (bytes.length > 0) {
            bytes[0] = (byte) EncryptedHandshake.VERSION;
          }
          yield bytes;
        }
        case 1 -> flipBits(valid[random.nextInt(POOL)].clone(), random);
        case 2 -> valid[random.nextInt(POOL)];
        default -> {
          byte[] key = new byte[128];
          int kind = random.nextInt(4);
          if (kind == 0) {
            key[127] = (byte) random.nextInt(2); // 0 or 1
          } else if (kind == 1) {
            java.util.Arrays.fill(key, (byte) 0xFF); // above p
          } else {
            random.nextBytes(key);
          }
          yield EncryptedHandshake.helloWith(key, random);
        }
      };
      try {
        EncryptedHandshake.Answer answer = EncryptedHandshake.respond(input, random);
        assertThat(answer.s0s1s2()).hasSize(Handshake.S0S1S2_SIZE);
        assertThat(answer.s0s1s2()[0]).isEqualTo((byte) EncryptedHandshake.VERSION);
        assertThat(answer.keys().receive()).hasSize(16);
        assertThat(answer.keys().send()).hasSize(16);
        answered++;
      } catch (ProtocolException e) {
        assertThat(e.getMessage()).isNotBlank();
        rejected++;
      }
    }
    assertThat(answered + rejected).isEqualTo(inputs);
    assertThat(answered).isGreaterThan(inputs / 4);
    assertThat(rejected).isGreaterThan(inputs / 4);
    return null;
  }

  @Test
  void clientAcknowledgesOrRejectsRandomAndMutatedS0s1s2() {
    for (long seed : FuzzSeeds.with(GOLDEN)) {
      FuzzSeeds.run(seed, HandshakeFuzzTest::clientAcknowledgesOrRejects);
    }
  }

  private static Void clientAcknowledgesOrRejects(Random random) throws ProtocolException {
    byte[][] hellos = new byte[POOL][];
    byte[][] answers = new byte[POOL][];
    for (int i = 0; i < POOL; i++) {
      hellos[i] = ClientHandshake.hello(i % 4 != 0, random);
      answers[i] = ServerHandshake.respond(hellos[i], random);
    }
    int acknowledged = 0;
    int digestC2s = 0;
    int rejected = 0;
    int inputs = 100_000;
    for (int i = 0; i < inputs; i++) {
      int pick = random.nextInt(POOL);
      byte[] c0c1 = hellos[pick];
      byte[] s0s1s2 = switch (i % 4) {
        case 0 -> randomBytes(random);
        case 1, 2 -> flipBits(answers[pick].clone(), random);
        default -> {
          byte[] answer = answers[pick].clone();
          answer[1 + 4 + random.nextInt(4)] ^= (byte) (1 << random.nextInt(8));
          yield answer;
        }
      };
      if (i % 97 == 0) {
        c0c1 = flipBits(c0c1.clone(), random);
      }
      try {
        byte[] c2 = ClientHandshake.acknowledge(c0c1, s0s1s2);
        assertThat(c2).hasSize(Handshake.PACKET_SIZE);
        acknowledged++;
        if (!Arrays.equals(c2, 0, Handshake.PACKET_SIZE, s0s1s2, 1, 1 + Handshake.PACKET_SIZE)) {
          digestC2s++;
        }
      } catch (ProtocolException e) {
        assertThat(e.getMessage()).isNotBlank();
        rejected++;
      }
    }
    assertThat(acknowledged + rejected).isEqualTo(inputs);
    assertThat(acknowledged).isGreaterThan(1000);
    assertThat(digestC2s).isGreaterThan(1000);
    assertThat(rejected).isGreaterThan(1000);
    return null;
  }

  /** Valid digest C0+C1s, half in each schema, built by the test-side reference code. */
  private static byte[][] validDigestC0c1s(Random random) {
    byte[][] out = new byte[POOL][];
    for (int i = 0; i < POOL; i++) {
      int schema = i % 2 == 0 ? ReferenceDigest.SCHEMA_0_OFFSET_BYTES
          : ReferenceDigest.SCHEMA_1_OFFSET_BYTES;
      out[i] = ReferenceDigest.digestC0c1(random, schema, 0x09007C02);
      assertThat(ServerHandshake.hasClientDigest(Arrays.copyOfRange(out[i], 1, 1537))).isTrue();
    }
    return out;
  }

  /** Mostly the real length, sometimes near it, sometimes anything up to two handshakes. */
  private static byte[] randomBytes(Random random) {
    int length = switch (random.nextInt(4)) {
      case 0 -> random.nextInt(2 * Handshake.S0S1S2_SIZE);
      case 1 -> Handshake.C0C1_SIZE + random.nextInt(5) - 2;
      default -> random.nextBoolean() ? Handshake.C0C1_SIZE : Handshake.S0S1S2_SIZE;
    };
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    if (length > 0 && random.nextBoolean()) {
      bytes[0] = 3;
    }
    return bytes;
  }

  /** Zero to eight bit flips: zero keeps some inputs valid so the digest paths run to the end. */
  private static byte[] flipBits(byte[] bytes, Random random) {
    int flips = random.nextInt(9);
    for (int f = 0; f < flips; f++) {
      bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
    }
    return bytes;
  }

  /** Flips a bit in the version, offset bytes or digest region, where the parsing decisions are. */
  private static byte[] flipOffsetOrDigestBits(byte[] c0c1, Random random) {
    int[] hot = {1 + 4, 1 + 8, 1 + 772};
    int at = hot[random.nextInt(hot.length)] + random.nextInt(4);
    c0c1[at] ^= (byte) (1 << random.nextInt(8));
    if (random.nextBoolean()) {
      c0c1[1 + 12 + random.nextInt(1524)] ^= (byte) (1 << random.nextInt(8));
    }
    return c0c1;
  }
}
