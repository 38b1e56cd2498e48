package dev.streamedge.rtmp.handshake;

import static dev.streamedge.rtmp.handshake.ReferenceDigest.SCHEMA_0_OFFSET_BYTES;
import static dev.streamedge.rtmp.handshake.ReferenceDigest.SCHEMA_1_OFFSET_BYTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.rtmp.ProtocolException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RTMPE's handshake and keystreams, byte for byte: RC4 against RFC 6229, the group against RFC 2409,
 * and the layout and key derivation against a client built here from the write-ups (ffmpeg's
 * rtmpcrypt.c, librtmp's handshake.h), not from the production code.
 */
@Tag("unit")
class EncryptedHandshakeTest {

  private static final BigInteger P = DiffieHellman.P;

  // ---- RC4 ----

  @Test
  void rc4StartsAtKeystreamByte1536AsRfc6229Lists() {
    // RFC 6229 §2, key 0x0102030405060708090a0b0c0d0e0f10: keystream at offsets 1536 and 2048.
    Rc4 rc4 = Rc4.of(HexFormat.of().parseHex("0102030405060708090a0b0c0d0e0f10"));
    byte[] stream = new byte[528];
    rc4.apply(stream, 0, stream.length);
    assertThat(HexFormat.of().formatHex(stream, 0, 16)).isEqualTo("ffa0b514647ec04f6306b892ae661181");
    assertThat(HexFormat.of().formatHex(stream, 512, 528)).isEqualTo("8a44126411eaa78bd51e8d87a8879bf5");
    // The 40-bit key of RFC 6229 §2, offset 1536.
    Rc4 short40 = Rc4.of(HexFormat.of().parseHex("0102030405"));
    byte[] head = new byte[16];
    short40.apply(head, 0, 16);
    assertThat(HexFormat.of().formatHex(head)).isEqualTo("d8729db41882259bee4f825325f5a130");
  }

  @Test
  void rc4InPiecesEqualsRc4AtOnceAndUndoesItself() {
    byte[] key = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
    byte[] plain = new byte[10_000];
    new Random(1).nextBytes(plain);
    byte[] whole = plain.clone();
    Rc4.of(key).apply(whole, 0, whole.length);
    byte[] pieces = plain.clone();
    Rc4 rc4 = Rc4.of(key);
    for (int at = 0, n = 1; at < pieces.length; at += n, n = n * 3 % 1999 + 1) {
      rc4.apply(pieces, at, Math.min(n, pieces.length - at));
    }
    assertThat(pieces).isEqualTo(whole).isNotEqualTo(plain);
    Rc4.of(key).apply(whole, 0, whole.length);
    assertThat(whole).isEqualTo(plain);
  }

  // ---- Diffie-Hellman ----

  @Test
  void groupIsTheSafe1024BitPrimeOfRfc2409WithGenerator2InItsPrimeOrderSubgroup() {
    assertThat(P.bitLength()).isEqualTo(1024);
    assertThat(P.toString(16)).startsWith("ffffffffffffffffc90fdaa22168c234").endsWith("ece65381ffffffffffffffff");
    BigInteger q = P.subtract(BigInteger.ONE).shiftRight(1);
    assertThat(P.isProbablePrime(64)).isTrue();
    assertThat(q.isProbablePrime(64)).isTrue();
    assertThat(DiffieHellman.G.modPow(q, P)).isEqualTo(BigInteger.ONE);
    // What ffmpeg checks of our key (rtmpdh.c): y^q mod p = 1, y not 1 nor p-1.
    DiffieHellman.KeyPair pair = DiffieHellman.generate(new Random(2));
    assertThat(pair.publicKey().modPow(q, P)).isEqualTo(BigInteger.ONE);
    assertThat(pair.privateKey().bitLength()).isBetween(128, 256);
  }

  @Test
  void peerKeysOutsideTwoToPMinusTwoAreRefusedWithTheirName() throws ProtocolException {
    assertThat(refusal(BigInteger.ZERO)).contains("is 0");
    assertThat(refusal(BigInteger.ONE)).contains("is 1");
    assertThat(refusal(P.subtract(BigInteger.ONE))).contains("is p-1");
    assertThat(refusal(P)).contains("not below p");
    assertThat(refusal(BigInteger.ONE.shiftLeft(1024).subtract(BigInteger.ONE))).contains("not below p");
    assertThat(DiffieHellman.peerKey(wire(BigInteger.TWO), "client")).isEqualTo(BigInteger.TWO);
    BigInteger pMinus2 = P.subtract(BigInteger.TWO);
    assertThat(DiffieHellman.peerKey(wire(pMinus2), "client")).isEqualTo(pMinus2);
  }

  @ParameterizedTest(name = "client key {0}")
  @ValueSource(strings = {"0", "1", "p-1", "p", "max"})
  void serverRefusesAC1WhoseKeyIsNotAGroupElementOrOfSmallOrder(String which) {
    BigInteger y = switch (which) {
      case "0" -> BigInteger.ZERO;
      case "1" -> BigInteger.ONE;
      case "p-1" -> P.subtract(BigInteger.ONE);
      case "p" -> P;
      default -> BigInteger.ONE.shiftLeft(1024).subtract(BigInteger.ONE);
    };
    byte[] c0c1 = EncryptedHandshake.helloWith(wire(y), new Random(3));
    assertThatThrownBy(() -> EncryptedHandshake.respond(c0c1, new Random(4)))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("client Diffie-Hellman public key is");
  }

  // ---- layout and keys, against a client written from the write-ups ----

  @ParameterizedTest(name = "client digest offset bytes at {0}")
  @ValueSource(ints = {SCHEMA_1_OFFSET_BYTES, SCHEMA_0_OFFSET_BYTES})
  void referenceClientFindsOurKeyInTheScheme0LayoutAndDerivesTheServersKeys(int clientSchema) throws Exception {
    ReferenceClient client = new ReferenceClient(new Random(clientSchema), clientSchema);

    EncryptedHandshake.Answer answer = EncryptedHandshake.respond(client.c0c1, new Random(5));

    byte[] out = answer.s0s1s2();
    assertThat(out).hasSize(3073);
    assertThat(out[0]).isEqualTo((byte) 6);
    byte[] s1 = Arrays.copyOfRange(out, 1, 1537);
    byte[] s2 = Arrays.copyOfRange(out, 1537, 3073);
    assertThat(s1[4] & 0xFF).as("ffmpeg wants a server version byte of at least 3").isGreaterThanOrEqualTo(3);
    // Scheme 0: the digest in the first half; ffmpeg's publisher does not look, librtmp tries schema 1 first.
    assertThat(ReferenceDigest.hasDigest(s1, SCHEMA_0_OFFSET_BYTES, ReferenceDigest.serverOpenKey())).isTrue();
    assertThat(ReferenceDigest.hasDigest(s1, SCHEMA_1_OFFSET_BYTES, ReferenceDigest.serverOpenKey())).isFalse();
    assertThat(Arrays.copyOfRange(s2, 1504, 1536)).as("S2 signed for the client digest, no XTEA (type 6)")
        .isEqualTo(ReferenceDigest.signature(s2, client.digest(), ReferenceDigest.SERVER_KEY));
    // ffmpeg's publisher (compute_secret_key with type 1) and librtmp after a schema-0 digest read the
    // server key at 772 + (sum of bytes 1532..1535 mod 632).
    byte[] serverKey = Arrays.copyOfRange(s1, keyAt(s1, 1532, 772), keyAt(s1, 1532, 772) + 128);
    byte[] secret = client.secret(serverKey);
    assertThat(secret[0]).as("no leading zero byte for ffmpeg to drop").isNotZero();
    assertThat(answer.keys().receive()).as("what the client sends: HMAC(secret, server key)")
        .isEqualTo(Arrays.copyOf(ReferenceDigest.hmac(secret, serverKey, 0, 128), 16));
    assertThat(answer.keys().send()).as("what the server sends: HMAC(secret, client key)")
        .isEqualTo(Arrays.copyOf(ReferenceDigest.hmac(secret, client.publicKey, 0, 128), 16));
  }

  @Test
  void serverDrawsItsKeyAgainWhileTheSharedSecretStartsWithAZeroByte() throws Exception {
    ReferenceClient client = new ReferenceClient(new Random(6), SCHEMA_1_OFFSET_BYTES);
    BigInteger clientKey = new BigInteger(1, client.publicKey);
    // A seed whose first key pair gives a secret below 2^1016 (about one in 256), found here.
    long seed = 0;
    DiffieHellman.KeyPair first;
    while (true) {
      first = DiffieHellman.generate(new Random(seed));
      if (DiffieHellman.wire(clientKey.modPow(first.privateKey(), P))[0] == 0) {
        break;
      }
      seed++;
    }

    EncryptedHandshake.Answer answer = EncryptedHandshake.respond(client.c0c1, new Random(seed));

    byte[] s1 = Arrays.copyOfRange(answer.s0s1s2(), 1, 1537);
    byte[] serverKey = Arrays.copyOfRange(s1, keyAt(s1, 1532, 772), keyAt(s1, 1532, 772) + 128);
    assertThat(new BigInteger(1, serverKey)).as("not the first draw").isNotEqualTo(first.publicKey());
    assertThat(client.secret(serverKey)[0]).isNotZero();
    assertThat(answer.keys().receive())
        .isEqualTo(Arrays.copyOf(ReferenceDigest.hmac(client.secret(serverKey), serverKey, 0, 128), 16));
  }

  @Test
  void ourClientAndOurServerAgreeOnCrossedKeysAndTalkThroughThem() throws ProtocolException {
    Random random = new Random(7);
    EncryptedHandshake.Hello hello = EncryptedHandshake.hello(random);
    assertThat(hello.c0c1()[0]).isEqualTo((byte) 6);
    byte[] c1 = Arrays.copyOfRange(hello.c0c1(), 1, 1537);
    assertThat(ReferenceDigest.hasDigest(c1, SCHEMA_1_OFFSET_BYTES, ReferenceDigest.playerOpenKey()))
        .as("digest in schema 1, as ffmpeg and librtmp send it").isTrue();

    EncryptedHandshake.Answer answer = EncryptedHandshake.respond(hello.c0c1(), random);
    EncryptedHandshake.Done done = EncryptedHandshake.acknowledge(hello, answer.s0s1s2(), random);

    assertThat(done.keys().send()).isEqualTo(answer.keys().receive());
    assertThat(done.keys().receive()).isEqualTo(answer.keys().send());
    assertThat(done.keys().send()).isNotEqualTo(done.keys().receive());
    byte[] message = "connect('live')".getBytes(StandardCharsets.US_ASCII);
    byte[] wire = message.clone();
    Rc4.of(done.keys().send()).apply(wire, 0, wire.length);
    assertThat(wire).isNotEqualTo(message);
    Rc4.of(answer.keys().receive()).apply(wire, 0, wire.length);
    assertThat(wire).isEqualTo(message);
    byte[] s1 = Arrays.copyOfRange(answer.s0s1s2(), 1, 1537);
    int serverDigestAt = ReferenceDigest.digestPosition(s1, SCHEMA_0_OFFSET_BYTES);
    assertThat(Arrays.copyOfRange(done.c2(), 1504, 1536)).isEqualTo(ReferenceDigest.signature(done.c2(),
        Arrays.copyOfRange(s1, serverDigestAt, serverDigestAt + 32), ReferenceDigest.PLAYER_KEY));
  }

  @Test
  void aC1WithoutAValidDigestOrOfTheWrongVersionOrLengthIsRefused() {
    ReferenceClient client = new ReferenceClient(new Random(8), SCHEMA_1_OFFSET_BYTES);
    byte[] broken = client.c0c1.clone();
    broken[1000] ^= 1; // inside the digest half: the digest no longer matches
    assertThatThrownBy(() -> EncryptedHandshake.respond(broken, new Random(9)))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("no valid client digest");
    byte[] plain = client.c0c1.clone();
    plain[0] = 3;
    assertThatThrownBy(() -> EncryptedHandshake.respond(plain, new Random(9)))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("C0 must be 6");
    assertThatThrownBy(() -> EncryptedHandshake.respond(Arrays.copyOf(client.c0c1, 700), new Random(9)))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("must be 1537 bytes");
  }

  @Test
  void ourClientRefusesAServerWhoseS2IsNotSignedForItsDigest() throws ProtocolException {
    Random random = new Random(10);
    EncryptedHandshake.Hello hello = EncryptedHandshake.hello(random);
    byte[] answer = EncryptedHandshake.respond(hello.c0c1(), random).s0s1s2();
    answer[3072] ^= 1;
    assertThatThrownBy(() -> EncryptedHandshake.acknowledge(hello, answer, random))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("S2 is not signed");
  }

  // ---- helpers ----

  private static String refusal(BigInteger y) {
    try {
      DiffieHellman.peerKey(wire(y), "client");
      throw new AssertionError(y + " accepted");
    } catch (ProtocolException e) {
      return e.getMessage();
    }
  }

  /** 128 big-endian bytes; the low 1024 bits for anything wider. */
  private static byte[] wire(BigInteger y) {
    byte[] raw = y.toByteArray();
    byte[] out = new byte[128];
    int n = Math.min(raw.length, 128);
    System.arraycopy(raw, raw.length - n, out, 128 - n, n);
    return out;
  }

  /** base + (sum of the four bytes at {@code offsetBytes} mod 632). */
  private static int keyAt(byte[] packet, int offsetBytes, int base) {
    int sum = 0;
    for (int i = 0; i < 4; i++) {
      sum += packet[offsetBytes + i] & 0xFF;
    }
    return base + sum % 632;
  }

  /**
   * An RTMPE client as the write-ups describe it: with its digest in schema 1 (offset bytes at 772),
   * its key at 8 + (sum of bytes 768..771 mod 632), as ffmpeg and librtmp (FP10) do; in schema 0, its
   * key at 772 + (sum of bytes 1532..1535 mod 632).
   */
  private static final class ReferenceClient {
    final byte[] c0c1;
    final byte[] publicKey;
    private final BigInteger privateKey;
    private final int digestAt;

    ReferenceClient(Random random, int digestOffsetBytes) {
      privateKey = new BigInteger(1000, random);
      publicKey = wire(BigInteger.TWO.modPow(privateKey, P));
      byte[] c1 = new byte[1536];
      random.nextBytes(c1);
      c1[0] = c1[1] = c1[2] = c1[3] = 0;
      c1[4] = (byte) 128;
      c1[5] = 0;
      c1[6] = 3;
      c1[7] = 2;
      int keyAt = digestOffsetBytes == SCHEMA_1_OFFSET_BYTES ? keyAt(c1, 768, 8) : keyAt(c1, 1532, 772);
      System.arraycopy(publicKey, 0, c1, keyAt, 128);
      digestAt = ReferenceDigest.digestPosition(c1, digestOffsetBytes);
      ReferenceDigest.placeDigest(c1, digestAt);
      c0c1 = ReferenceDigest.withC0(c1);
      c0c1[0] = 6;
    }

    byte[] digest() {
      return Arrays.copyOfRange(c0c1, 1 + digestAt, 1 + digestAt + 32);
    }

    byte[] secret(byte[] serverKey) {
      return wire(new BigInteger(1, serverKey).modPow(privateKey, P));
    }
  }
}
