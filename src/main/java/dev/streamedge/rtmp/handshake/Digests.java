package dev.streamedge.rtmp.handshake;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The digest ("complex", "FMS") handshake that Flash Player, librtmp/OBS and ffmpeg use on top of
 * the plain RTMP 1.0 §5.2 handshake. It is not in the published spec; this follows the widely
 * documented reverse-engineered scheme:
 *
 * <ul>
 *   <li>A digest C1/S1 carries a nonzero version in bytes 4..7 where §5.2.3 has the zero field.
 *   <li>It holds a 32-byte HMAC-SHA256 digest somewhere in one of two 764-byte halves after the
 *       first 8 bytes. Schema 0: four offset bytes at 8..11, digest at 12 + (their sum mod 728).
 *       Schema 1: offset bytes at 772..775, digest at 776 + (their sum mod 728). Either way the
 *       digest stays inside its own half.
 *   <li>The digest is the HMAC over the packet minus those 32 bytes, keyed with the open part of
 *       the player key (client) or the server key (server).
 *   <li>The answer to the other side's digest D is 1504 bytes followed by HMAC(HMAC(fullKey, D),
 *       those 1504 bytes); the server uses its full key for S2, the client its full key for C2.
 * </ul>
 *
 * <p>Stateless: every HMAC gets its own {@link Mac}, so this is safe from any thread.
 */
final class Digests {
  static final int DIGEST_SIZE = 32;
  /** Bytes of S2/C2 before the trailing signature. */
  static final int SIGNED_SIZE = Handshake.PACKET_SIZE - DIGEST_SIZE;

  /** Offset of the four offset bytes of schema 0 and of schema 1. */
  static final int SCHEMA_0 = 8;
  static final int SCHEMA_1 = 772;

  /** Each half is 764 bytes: 4 offset bytes, then 760 of which the 32 digest bytes are some. */
  private static final int POSITION_MODULUS = 728;

  /** Shared 32-byte tail of both keys. */
  private static final byte[] KEY_TAIL = {
    (byte) 0xF0, (byte) 0xEE, (byte) 0xC2, (byte) 0x4A, (byte) 0x80, (byte) 0x68, (byte) 0xBE,
    (byte) 0xE8, (byte) 0x2E, (byte) 0x00, (byte) 0xD0, (byte) 0xD1, (byte) 0x02, (byte) 0x9E,
    (byte) 0x7E, (byte) 0x57, (byte) 0x6E, (byte) 0xEC, (byte) 0x5D, (byte) 0x2D, (byte) 0x29,
    (byte) 0x80, (byte) 0x6F, (byte) 0xAB, (byte) 0x93, (byte) 0xB8, (byte) 0xE6, (byte) 0x36,
    (byte) 0xCF, (byte) 0xEB, (byte) 0x31, (byte) 0xAE
  };
  private static final String PLAYER_OPEN = "Genuine Adobe Flash Player 001";
  private static final String SERVER_OPEN = "Genuine Adobe Flash Media Server 001";

  /** Keys C1 digests: the 30-byte open part of the player key. */
  static final Key PLAYER_OPEN_KEY = new Key(ascii(PLAYER_OPEN));
  /** Keys C2 signatures: the whole 62-byte player key. */
  static final Key PLAYER_FULL_KEY = new Key(concat(ascii(PLAYER_OPEN), KEY_TAIL));
  /** Keys S1 digests: the 36-byte open part of the server key. */
  static final Key SERVER_OPEN_KEY = new Key(ascii(SERVER_OPEN));
  /** Keys S2 signatures: the whole 68-byte server key. */
  static final Key SERVER_FULL_KEY = new Key(concat(ascii(SERVER_OPEN), KEY_TAIL));

  private Digests() {
  }

  /** An HMAC key; holds a private copy so nobody can change it. */
  static final class Key {
    private final byte[] bytes;

    private Key(byte[] bytes) {
      this.bytes = bytes;
    }

    SecretKeySpec spec() {
      return new SecretKeySpec(bytes, "HmacSHA256");
    }
  }

  /** Where the digest of {@code packet} sits in the given schema; always inside the packet. */
  static int position(byte[] packet, int schema) {
    int sum = (packet[schema] & 0xFF) + (packet[schema + 1] & 0xFF) + (packet[schema + 2] & 0xFF)
        + (packet[schema + 3] & 0xFF);
    return schema + 4 + sum % POSITION_MODULUS;
  }

  /** HMAC over the packet with the 32 bytes at {@code position} left out. */
  static byte[] digestAround(byte[] packet, int position, Key key) {
    Mac mac = mac(key.spec());
    mac.update(packet, 0, position);
    mac.update(packet, position + DIGEST_SIZE, packet.length - position - DIGEST_SIZE);
    return mac.doFinal();
  }

  /** Writes the digest into {@code packet} at its position in {@code schema}; returns that position. */
  static int imprint(byte[] packet, int schema, Key key) {
    int position = position(packet, schema);
    System.arraycopy(digestAround(packet, position, key), 0, packet, position, DIGEST_SIZE);
    return position;
  }

  /** True if the packet carries a valid digest under {@code key} in {@code schema}. */
  static boolean valid(byte[] packet, int schema, Key key) {
    int position = position(packet, schema);
    byte[] expected = digestAround(packet, position, key);
    return MessageDigest.isEqual(expected, slice(packet, position, DIGEST_SIZE));
  }

  /** The schema of a valid digest in the packet, schema 0 tried first; -1 if neither holds one. */
  static int findSchema(byte[] packet, Key key) {
    if (valid(packet, SCHEMA_0, key)) {
      return SCHEMA_0;
    }
    if (valid(packet, SCHEMA_1, key)) {
      return SCHEMA_1;
    }
    return -1;
  }

  /** The 32 digest bytes of a packet in the given schema. */
  static byte[] digestOf(byte[] packet, int schema) {
    return slice(packet, position(packet, schema), DIGEST_SIZE);
  }

  /** Signs an S2/C2 in place: its last 32 bytes become HMAC(HMAC(fullKey, peerDigest), rest). */
  static void sign(byte[] packet, byte[] peerDigest, Key fullKey) {
    System.arraycopy(signature(packet, peerDigest, fullKey), 0, packet, SIGNED_SIZE, DIGEST_SIZE);
  }

  /** True if the last 32 bytes of an S2/C2 are the signature for {@code peerDigest}. */
  static boolean signedFor(byte[] packet, byte[] peerDigest, Key fullKey) {
    return MessageDigest.isEqual(signature(packet, peerDigest, fullKey),
        slice(packet, SIGNED_SIZE, DIGEST_SIZE));
  }

  /** Bytes 4..7 of C1/S1: zero in a plain §5.2.3 packet, a peer version in a digest one. */
  static boolean hasVersion(byte[] packet) {
    return (packet[4] | packet[5] | packet[6] | packet[7]) != 0;
  }

  static void putInt(byte[] packet, int offset, int value) {
    packet[offset] = (byte) (value >>> 24);
    packet[offset + 1] = (byte) (value >>> 16);
    packet[offset + 2] = (byte) (value >>> 8);
    packet[offset + 3] = (byte) value;
  }

  static byte[] slice(byte[] bytes, int from, int length) {
    byte[] out = new byte[length];
    System.arraycopy(bytes, from, out, 0, length);
    return out;
  }

  private static byte[] signature(byte[] packet, byte[] peerDigest, Key fullKey) {
    byte[] key = mac(fullKey.spec()).doFinal(peerDigest);
    Mac mac = mac(new SecretKeySpec(key, "HmacSHA256"));
    mac.update(packet, 0, SIGNED_SIZE);
    return mac.doFinal();
  }

  static Mac mac(SecretKeySpec key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      // Every Java SE runtime must provide HmacSHA256 (JCA standard algorithms).
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
