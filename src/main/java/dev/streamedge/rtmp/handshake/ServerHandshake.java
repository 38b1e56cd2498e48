package dev.streamedge.rtmp.handshake;

import dev.streamedge.rtmp.ProtocolException;
import java.util.Arrays;
import java.util.Random;

/**
 * The server side of the RTMP handshake: turns C0+C1 into S0+S1+S2 in one step, so S0, S1 and S2
 * can go out in one write as soon as C1 is in (§5.2.1 allows S2 once C1 is received). C2 is read
 * and dropped by the caller; many clients send garbage there, so nothing validates it.
 */
public final class ServerHandshake {
  /** S1 bytes 4..7 in digest mode: an FMS version (4.5.0.1); ffmpeg only checks the first is ≥ 3. */
  static final int SERVER_VERSION = 0x04050001;

  private ServerHandshake() {
  }

  /**
   * Answers C0+C1 (exactly {@link Handshake#C0C1_SIZE} bytes) with S0+S1+S2: digest scheme when C1
   * carries a valid client digest in either schema, plain echo otherwise. Version byte other than
   * 3 → ProtocolException.
   *
   * <p>Plain (§5.2.3, §5.2.4): S1 = time 0, zero 0, 1528 random bytes; S2 = C1 unchanged. Echoing C1
   * whole, its time fields included, is what common servers do and what plain clients expect.
   *
   * <p>Digest: S1 = time 0, {@link #SERVER_VERSION}, random bytes carrying the server digest in the
   * schema the client used; S2 = 1504 random bytes signed for the client digest. A C1 with a version
   * but a digest that does not validate gets the plain answer, as FMS and nginx-rtmp do.
   *
   * @param random source of the random bytes; not shared state of this class
   */
  public static byte[] respond(byte[] c0c1, Random random) throws ProtocolException {
    Checks.length(c0c1, Handshake.C0C1_SIZE, "C0+C1");
    Checks.version(c0c1[0] & 0xFF, "client asked for");
    byte[] c1 = Arrays.copyOfRange(c0c1, 1, Handshake.C0C1_SIZE);

    byte[] s1 = new byte[Handshake.PACKET_SIZE];
    byte[] s2;
    fillRandom(s1, 8, random); // bytes 0..3 time 0 (we have no epoch to share), 4..7 below
    int schema = clientSchema(c1);
    if (schema < 0) {
      s2 = c1;
    } else {
      Digests.putInt(s1, 4, SERVER_VERSION);
      Digests.imprint(s1, schema, Digests.SERVER_OPEN_KEY);
      s2 = new byte[Handshake.PACKET_SIZE];
      fillRandom(s2, 0, random);
      Digests.sign(s2, Digests.digestOf(c1, schema), Digests.SERVER_FULL_KEY);
    }

    byte[] out = new byte[Handshake.S0S1S2_SIZE];
    out[0] = (byte) Handshake.VERSION;
    System.arraycopy(s1, 0, out, 1, Handshake.PACKET_SIZE);
    System.arraycopy(s2, 0, out, 1 + Handshake.PACKET_SIZE, Handshake.PACKET_SIZE);
    return out;
  }

  /** Checks the C0 version byte on its own, so a peer that does not speak RTMP is refused at once. */
  public static void checkVersion(int c0) throws ProtocolException {
    Checks.version(c0, "client asked for");
  }

  /**
   * True if C1 carries a valid client digest (either schema). A C1 whose bytes 4..7 are zero is a
   * plain §5.2.3 C1 whatever its other bytes hold; anything not {@link Handshake#PACKET_SIZE} bytes
   * long is not a C1 at all.
   */
  public static boolean hasClientDigest(byte[] c1) {
    return c1 != null && c1.length == Handshake.PACKET_SIZE && clientSchema(c1) >= 0;
  }

  /** The schema of the client digest in C1, or -1 for a plain C1. */
  static int clientSchema(byte[] c1) {
    if (!Digests.hasVersion(c1)) {
      return -1;
    }
    return Digests.findSchema(c1, Digests.PLAYER_OPEN_KEY);
  }

  private static void fillRandom(byte[] packet, int from, Random random) {
    byte[] bytes = new byte[packet.length - from];
    random.nextBytes(bytes);
    System.arraycopy(bytes, 0, packet, from, bytes.length);
  }
}
