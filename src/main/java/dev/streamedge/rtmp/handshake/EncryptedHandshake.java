package dev.streamedge.rtmp.handshake;

import dev.streamedge.rtmp.ProtocolException;
import java.math.BigInteger;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The RTMPE handshake (C0 = 6), both sides, pure: the digest handshake of {@link Digests} with a
 * Diffie-Hellman public key ({@link DiffieHellman}) in C1 and S1, from which both sides derive one RC4
 * key per direction ({@link Rc4}). Like the digest scheme it is not in any published spec; this
 * follows the reverse-engineered scheme that ffmpeg and librtmp implement:
 *
 * <ul>
 *   <li>Each C1/S1 has a digest half and a key half. Digest schema 0 (digest in bytes 8..771) puts
 *       the 128-byte public key at 772 + (sum of bytes 1532..1535 mod 632); schema 1 (digest in bytes
 *       772..1535) puts it at 8 + (sum of bytes 768..771 mod 632). The key is written first and the
 *       digest covers it.
 *   <li>The shared secret s is 128 big-endian bytes. The key of what the client sends is the first 16
 *       bytes of HMAC-SHA256(s, server public key); of what the server sends, HMAC-SHA256(s, client
 *       public key); both over the 128 key bytes exactly as they crossed the wire.
 *   <li>S0 is 6: no transform of the S2/C2 signatures (types 8 and 9 add XTEA or Blowfish to them).
 *       S2 is signed for the client digest as in the digest handshake. Everything after C2 and S2 is
 *       RC4, each keystream past its first 1536 bytes.
 * </ul>
 *
 * <p>The server answers in schema 0 whatever the client used: ffmpeg's publisher reads the server key
 * there without looking for the digest, and every client finds a schema-0 digest. It also draws its key
 * pair again while the shared secret starts with a zero byte: ffmpeg (OpenSSL's BN_bn2bin) then hashes
 * a 127-byte secret, shifted, and would derive other keys (one connect in 256 would fail).
 */
public final class EncryptedHandshake {
  /** The C0/S0 of RTMPE with plain signatures, the type ffmpeg and librtmp send. */
  public static final int VERSION = 6;
  /** S1 bytes 4..7: an FMS version, as in the digest handshake. */
  static final int SERVER_VERSION = ServerHandshake.SERVER_VERSION;
  /** C1 bytes 4..7 of our client: 128.0.3.2, what ffmpeg sends for RTMPE (at least 9.0.115 is needed). */
  static final int CLIENT_VERSION = 0x80000302;
  /** Bytes of each RC4 key: the head of an HMAC-SHA256. */
  static final int RC4_KEY_SIZE = 16;
  /** Key pairs drawn before giving up on a shared secret without a leading zero byte (p = 256^-16). */
  private static final int MAX_KEY_DRAWS = 16;
  private static final int KEY_MODULUS = 632;

  /**
   * One DRBG per thread (event loop): private keys must not be predictable, and a per-thread instance
   * is never contended, where the default NativePRNG reads under one JVM-wide lock.
   */
  private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(() -> {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      // Every Java SE 9+ runtime has DRBG (JEP 273).
      throw new IllegalStateException("no DRBG SecureRandom", e);
    }
  });

  private EncryptedHandshake() {
  }

  /** The calling thread's own SecureRandom, for {@link #respond} and {@link #hello} in production. */
  public static Random threadRandom() {
    return RANDOM.get();
  }

  /**
   * One side's RC4 keys, 16 bytes each, for {@link Rc4#of}.
   *
   * @param receive decrypts what this side receives
   * @param send encrypts what this side sends
   */
  public record Keys(byte[] receive, byte[] send) {
  }

  /** The server's answer: S0+S1+S2 (S0 = 6), sent in the clear, and the keys for what follows C2. */
  public record Answer(byte[] s0s1s2, Keys keys) {
  }

  /** Our client's C0+C1 and the private key behind the public key in it. */
  public record Hello(byte[] c0c1, BigInteger privateKey) {
  }

  /** Our client's C2, sent in the clear, and its keys for what follows. */
  public record Done(byte[] c2, Keys keys) {
  }

  /**
   * Answers an RTMPE C0+C1: S0+S1+S2 and the server's keys. ProtocolException when the length or
   * version is wrong, when C1 carries no valid client digest (without one the key cannot be found),
   * or when the client's public key is 0, 1, p-1 or not below p.
   *
   * @param random source of the private key and of the random bytes: a SecureRandom in production
   */
  public static Answer respond(byte[] c0c1, Random random) throws ProtocolException {
    Checks.length(c0c1, Handshake.C0C1_SIZE, "RTMPE C0+C1");
    if ((c0c1[0] & 0xFF) != VERSION) {
      throw new ProtocolException("RTMPE C0 must be " + VERSION + ", got " + (c0c1[0] & 0xFF));
    }
    byte[] c1 = Arrays.copyOfRange(c0c1, 1, Handshake.C0C1_SIZE);
    int clientSchema = ServerHandshake.clientSchema(c1);
    if (clientSchema < 0) {
      throw new ProtocolException("RTMPE C1 carries no valid client digest, so its Diffie-Hellman key cannot be found");
    }
    byte[] clientKey = Digests.slice(c1, keyPosition(c1, clientSchema), DiffieHellman.KEY_SIZE);
    BigInteger clientY = DiffieHellman.peerKey(clientKey, "client");

    DiffieHellman.KeyPair pair = null;
    byte[] secret = null;
    for (int draw = 0; draw < MAX_KEY_DRAWS && secret == null; draw++) {
      pair = DiffieHellman.generate(random);
      byte[] candidate = DiffieHellman.wire(DiffieHellman.sharedSecret(pair.privateKey(), clientY));
      if (candidate[0] != 0) {
        secret = candidate;
      }
    }
    if (secret == null) {
      throw new ProtocolException("RTMPE: no server key in " + MAX_KEY_DRAWS + " draws gave a shared secret without a"
          + " leading zero byte");
    }
    byte[] serverKey = DiffieHellman.wire(pair.publicKey());

    byte[] s1 = new byte[Handshake.PACKET_SIZE];
    fill(s1, 8, random); // bytes 0..3: time 0
    Digests.putInt(s1, 4, SERVER_VERSION);
    System.arraycopy(serverKey, 0, s1, keyPosition(s1, Digests.SCHEMA_0), DiffieHellman.KEY_SIZE);
    Digests.imprint(s1, Digests.SCHEMA_0, Digests.SERVER_OPEN_KEY);

    byte[] s2 = new byte[Handshake.PACKET_SIZE];
    fill(s2, 0, random);
    Digests.sign(s2, Digests.digestOf(c1, clientSchema), Digests.SERVER_FULL_KEY);

    byte[] out = new byte[Handshake.S0S1S2_SIZE];
    out[0] = (byte) VERSION;
    System.arraycopy(s1, 0, out, 1, Handshake.PACKET_SIZE);
    System.arraycopy(s2, 0, out, 1 + Handshake.PACKET_SIZE, Handshake.PACKET_SIZE);
    return new Answer(out, new Keys(rc4Key(secret, serverKey), rc4Key(secret, clientKey)));
  }

  /** Our client's RTMPE C0+C1, laid out as ffmpeg and librtmp do: digest schema 1, key in bytes 8..767. */
  public static Hello hello(Random random) {
    DiffieHellman.KeyPair pair = DiffieHellman.generate(random);
    return new Hello(helloWith(DiffieHellman.wire(pair.publicKey()), random), pair.privateKey());
  }

  /**
   * A C0+C1 carrying {@code publicKey} (128 bytes, any value) where {@link #hello} puts a real one: for
   * tests of how a server treats a bad key.
   */
  public static byte[] helloWith(byte[] publicKey, Random random) {
    if (publicKey.length != DiffieHellman.KEY_SIZE) {
      throw new IllegalArgumentException("a public key is " + DiffieHellman.KEY_SIZE + " bytes");
    }
    byte[] c1 = new byte[Handshake.PACKET_SIZE];
    fill(c1, 8, random);
    Digests.putInt(c1, 4, CLIENT_VERSION);
    System.arraycopy(publicKey, 0, c1, keyPosition(c1, Digests.SCHEMA_1), DiffieHellman.KEY_SIZE);
    Digests.imprint(c1, Digests.SCHEMA_1, Digests.PLAYER_OPEN_KEY);
    byte[] out = new byte[Handshake.C0C1_SIZE];
    out[0] = (byte) VERSION;
    System.arraycopy(c1, 0, out, 1, Handshake.PACKET_SIZE);
    return out;
  }

  /**
   * Checks the server's S0+S1+S2 against our hello (S0 6, a server digest in either schema, S2 signed
   * for our digest, a valid server key) and returns C2 (signed for the server digest, as ffmpeg's
   * player does) and our keys.
   */
  public static Done acknowledge(Hello hello, byte[] s0s1s2, Random random) throws ProtocolException {
    Checks.length(s0s1s2, Handshake.S0S1S2_SIZE, "RTMPE S0+S1+S2");
    if ((s0s1s2[0] & 0xFF) != VERSION) {
      throw new ProtocolException("RTMPE server answered with S0 " + (s0s1s2[0] & 0xFF) + ", not " + VERSION);
    }
    byte[] c1 = Arrays.copyOfRange(hello.c0c1(), 1, Handshake.C0C1_SIZE);
    byte[] s1 = Arrays.copyOfRange(s0s1s2, 1, 1 + Handshake.PACKET_SIZE);
    byte[] s2 = Arrays.copyOfRange(s0s1s2, 1 + Handshake.PACKET_SIZE, Handshake.S0S1S2_SIZE);
    int serverSchema = Digests.findSchema(s1, Digests.SERVER_OPEN_KEY);
    if (serverSchema < 0) {
      throw new ProtocolException("RTMPE S1 carries no valid server digest");
    }
    if (!Digests.signedFor(s2, Digests.digestOf(c1, Digests.SCHEMA_1), Digests.SERVER_FULL_KEY)) {
      throw new ProtocolException("RTMPE S2 is not signed for our C1 digest");
    }
    byte[] serverKey = Digests.slice(s1, keyPosition(s1, serverSchema), DiffieHellman.KEY_SIZE);
    BigInteger serverY = DiffieHellman.peerKey(serverKey, "server");
    byte[] secret = DiffieHellman.wire(DiffieHellman.sharedSecret(hello.privateKey(), serverY));
    byte[] clientKey = Digests.slice(c1, keyPosition(c1, Digests.SCHEMA_1), DiffieHellman.KEY_SIZE);

    byte[] c2 = new byte[Handshake.PACKET_SIZE];
    fill(c2, 0, random);
    Digests.sign(c2, Digests.digestOf(s1, serverSchema), Digests.PLAYER_FULL_KEY);
    return new Done(c2, new Keys(rc4Key(secret, clientKey), rc4Key(secret, serverKey)));
  }

  /** Where the public key of a packet whose digest is in {@code digestSchema} sits: the other half. */
  static int keyPosition(byte[] packet, int digestSchema) {
    // Schema 0 (digest half first): offset bytes 1532..1535, key in 772..1531.
    // Schema 1 (digest half second): offset bytes 768..771, key in 8..767.
    int offsetBytes = digestSchema == Digests.SCHEMA_0 ? 1532 : 768;
    int base = digestSchema == Digests.SCHEMA_0 ? 772 : 8;
    int sum = (packet[offsetBytes] & 0xFF) + (packet[offsetBytes + 1] & 0xFF) + (packet[offsetBytes + 2] & 0xFF)
        + (packet[offsetBytes + 3] & 0xFF);
    return base + sum % KEY_MODULUS;
  }

  /** The first 16 bytes of HMAC-SHA256 keyed with the shared secret, over one side's public key. */
  static byte[] rc4Key(byte[] secret, byte[] publicKey) {
    Mac mac = Digests.mac(new SecretKeySpec(secret, "HmacSHA256"));
    return Arrays.copyOf(mac.doFinal(publicKey), RC4_KEY_SIZE);
  }

  private static void fill(byte[] packet, int from, Random random) {
    byte[] bytes = new byte[packet.length - from];
    random.nextBytes(bytes);
    System.arraycopy(bytes, 0, packet, from, bytes.length);
  }
}
