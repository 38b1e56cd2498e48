package dev.streamedge.rtmp.handshake;

import dev.streamedge.rtmp.ProtocolException;
import java.math.BigInteger;
import java.util.Random;

/**
 * Diffie-Hellman over the 1024-bit MODP group of RFC 2409 §6.2 (the "second Oakley group"), generator
 * 2: the group RTMPE uses. Keys travel as 128-byte big-endian numbers. Plain {@link BigInteger}
 * arithmetic: the JDK's DH provider would do the same modPow and hide the byte layout we must match.
 *
 * <p>p is a safe prime (p = 2q + 1, q prime) and p ≡ 7 mod 8, so 2 is a quadratic residue and every
 * public key 2^x lies in the subgroup of prime order q. The only elements of small order are 1 and
 * p - 1, which {@link #peerKey} refuses together with 0 and anything ≥ p; no other check is needed to
 * keep a peer from forcing a predictable shared secret.
 */
final class DiffieHellman {
  /** Bytes of a public key or shared secret on the wire. */
  static final int KEY_SIZE = 128;

  /** RFC 2409 §6.2: 2^1024 - 2^960 - 1 + 2^64 * ( [2^894 pi] + 129093 ). */
  static final BigInteger P = new BigInteger(
      "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
          + "29024E088A67CC74020BBEA63B139B22514A08798E3404DD"
          + "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"
          + "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
          + "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381"
          + "FFFFFFFFFFFFFFFF", 16);
  static final BigInteger G = BigInteger.TWO;
  private static final BigInteger P_MINUS_1 = P.subtract(BigInteger.ONE);

  /**
   * Bits of a private exponent. The group offers about 80 bits of security, so 256 bits (over twice
   * that, NIST SP 800-56A's rule) lose nothing, and make each modPow four times cheaper than a full
   * 1024-bit exponent: two of them run on the event loop per RTMPE handshake.
   */
  static final int PRIVATE_BITS = 256;

  private DiffieHellman() {
  }

  /** A private exponent and its public key 2^x mod p. */
  record KeyPair(BigInteger privateKey, BigInteger publicKey) {
  }

  /** A fresh key pair from {@code random} (a SecureRandom on the server). */
  static KeyPair generate(Random random) {
    BigInteger x;
    do {
      x = new BigInteger(PRIVATE_BITS, random);
    } while (x.bitLength() < PRIVATE_BITS / 2); // never a tiny exponent, whatever the source gives
    return new KeyPair(x, G.modPow(x, P));
  }

  /**
   * The peer's public key from its 128 wire bytes, refused unless 2 ≤ y ≤ p - 2: 0 and ≥ p are not
   * group elements, 1 and p - 1 would make the shared secret 1 or ±1, known to anyone watching.
   */
  static BigInteger peerKey(byte[] wire, String who) throws ProtocolException {
    BigInteger y = new BigInteger(1, wire);
    String problem = null;
    if (y.signum() == 0) {
      problem = "0";
    } else if (y.equals(BigInteger.ONE)) {
      problem = "1";
    } else if (y.equals(P_MINUS_1)) {
      problem = "p-1";
    } else if (y.compareTo(P) >= 0) {
      problem = "not below p";
    }
    if (problem != null) {
      throw new ProtocolException("RTMPE " + who + " Diffie-Hellman public key is " + problem
          + ": it must lie in [2, p-2]");
    }
    return y;
  }

  /** The shared secret peerKey^x mod p. */
  static BigInteger sharedSecret(BigInteger privateKey, BigInteger peerKey) {
    return peerKey.modPow(privateKey, P);
  }

  /** {@code value} as {@link #KEY_SIZE} big-endian bytes, left-padded with zeros. */
  static byte[] wire(BigInteger value) {
    byte[] raw = value.toByteArray(); // may carry a sign byte, or be shorter than 128
    byte[] out = new byte[KEY_SIZE];
    int copy = Math.min(raw.length, KEY_SIZE);
    System.arraycopy(raw, raw.length - copy, out, KEY_SIZE - copy, copy);
    return out;
  }
}
