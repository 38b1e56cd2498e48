package dev.streamedge.rtmp.handshake;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A test-side implementation of the digest handshake, written separately from {@link Digests} so
 * tests do not check the production code against itself: keys are spelled out as hex here, and
 * the position math and HMACs are redone from the write-ups.
 */
final class ReferenceDigest {
  static final int SCHEMA_0_OFFSET_BYTES = 8;
  static final int SCHEMA_1_OFFSET_BYTES = 772;

  /** "Genuine Adobe Flash Player 001" then the 32-byte tail. */
  static final byte[] PLAYER_KEY = HexFormat.of().parseHex(
      "47656e75696e652041646f626520466c61736820506c61796572203030"
          + "31f0eec24a8068bee82e00d0d1029e7e576eec5d2d29806fab93b8e636cfeb31ae");
  /** "Genuine Adobe Flash Media Server 001" then the same tail. */
  static final byte[] SERVER_KEY = HexFormat.of().parseHex(
      "47656e75696e652041646f626520466c617368204d6564696120536572766572203030"
          + "31f0eec24a8068bee82e00d0d1029e7e576eec5d2d29806fab93b8e636cfeb31ae");

  private ReferenceDigest() {
  }

  static byte[] playerOpenKey() {
    return head(PLAYER_KEY, 30);
  }

  static byte[] serverOpenKey() {
    return head(SERVER_KEY, 36);
  }

  static byte[] hmac(byte[] key, byte[] data, int from, int length) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(data, from, length);
      return mac.doFinal();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static int digestPosition(byte[] packet, int offsetBytes) {
    int sum = 0;
    for (int i = 0; i < 4; i++) {
      sum += packet[offsetBytes + i] & 0xFF;
    }
    return offsetBytes + 4 + sum % 728;
  }

  /** HMAC over the packet without the 32 bytes at {@code position}. */
  static byte[] digestSkipping(byte[] packet, int position, byte[] key) {
    byte[] joined = new byte[packet.length - 32];
    System.arraycopy(packet, 0, joined, 0, position);
    System.arraycopy(packet, position + 32, joined, position, packet.length - position - 32);
    return hmac(key, joined, 0, joined.length);
  }

  static boolean hasDigest(byte[] packet, int offsetBytes, byte[] key) {
    int position = digestPosition(packet, offsetBytes);
    return java.util.Arrays.equals(digestSkipping(packet, position, key),
        java.util.Arrays.copyOfRange(packet, position, position + 32));
  }

  /** Expected last 32 bytes of S2/C2: HMAC(HMAC(fullKey, peerDigest), first 1504 bytes). */
  static byte[] signature(byte[] packet, byte[] peerDigest, byte[] fullKey) {
    return hmac(hmac(fullKey, peerDigest, 0, 32), packet, 0, 1504);
  }

  /** A digest C1 as Flash Player would send it, in the given schema; C0 in front. */
  static byte[] digestC0c1(Random random, int offsetBytes, int version) {
    byte[] c1 = new byte[1536];
    random.nextBytes(c1);
    c1[0] = c1[1] = c1[2] = c1[3] = 0;
    c1[4] = (byte) (version >>> 24);
    c1[5] = (byte) (version >>> 16);
    c1[6] = (byte) (version >>> 8);
    c1[7] = (byte) version;
    placeDigest(c1, digestPosition(c1, offsetBytes));
    return withC0(c1);
  }

  /** Writes the client digest at {@code position}, whatever the offset bytes say. */
  static void placeDigest(byte[] c1, int position) {
    byte[] digest = digestSkipping(c1, position, playerOpenKey());
    System.arraycopy(digest, 0, c1, position, 32);
  }

  static byte[] withC0(byte[] c1) {
    byte[] out = new byte[1 + c1.length];
    out[0] = 3;
    System.arraycopy(c1, 0, out, 1, c1.length);
    return out;
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] head(byte[] bytes, int n) {
    return java.util.Arrays.copyOf(bytes, n);
  }
}
