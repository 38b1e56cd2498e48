package dev.streamedge.rtmp.handshake;

import dev.streamedge.rtmp.ProtocolException;
import java.util.Arrays;
import java.util.Random;

/**
 * The client side of the RTMP handshake, for our own load generator and tests: C0+C1 out, then
 * S0+S1+S2 in and C2 out.
 */
public final class ClientHandshake {
  /** C1 bytes 4..7 of a digest C1: the version ffmpeg sends (9.0.124.2). */
  static final int CLIENT_VERSION = 0x09007C02;

  private ClientHandshake() {
  }

  /**
   * C0+C1 for our own client (load generator / tests): digest (complex) C1 when digest=true, plain
   * otherwise. The digest goes in schema 0, as ffmpeg and librtmp put it. Time (bytes 0..3) is 0.
   */
  public static byte[] hello(boolean digest, Random random) {
    byte[] c1 = new byte[Handshake.PACKET_SIZE];
    byte[] fill = new byte[Handshake.PACKET_SIZE - 8];
    random.nextBytes(fill);
    System.arraycopy(fill, 0, c1, 8, fill.length);
    if (digest) {
      Digests.putInt(c1, 4, CLIENT_VERSION);
      Digests.imprint(c1, Digests.SCHEMA_0, Digests.PLAYER_OPEN_KEY);
    }
    byte[] out = new byte[Handshake.C0C1_SIZE];
    out[0] = (byte) Handshake.VERSION;
    System.arraycopy(c1, 0, out, 1, Handshake.PACKET_SIZE);
    return out;
  }

  /**
   * Given the C0+C1 we sent and the server's S0+S1+S2, validates S0 version (and the S1/S2 digests
   * when we sent a digest C1 and the server answered one) and returns C2.
   *
   * <p>The server "answered one" when S1 bytes 4..7 are nonzero, the same test ffmpeg makes: then
   * S1 must carry a valid server digest in either schema and S2 must be signed for our C1 digest,
   * else ProtocolException. C2 is then S1's first 1504 bytes signed for the server digest (so no
   * randomness is needed here). In every other case C2 is S1 echoed (§5.2.4); S2 is not compared
   * with C1 there, since neither ffmpeg nor librtmp insist on it.
   */
  public static byte[] acknowledge(byte[] c0c1, byte[] s0s1s2) throws ProtocolException {
    Checks.length(c0c1, Handshake.C0C1_SIZE, "our C0+C1");
    Checks.version(c0c1[0] & 0xFF, "we sent");
    Checks.length(s0s1s2, Handshake.S0S1S2_SIZE, "S0+S1+S2");
    Checks.version(s0s1s2[0] & 0xFF, "server answered with");
    byte[] c1 = Arrays.copyOfRange(c0c1, 1, Handshake.C0C1_SIZE);
    byte[] s1 = Arrays.copyOfRange(s0s1s2, 1, 1 + Handshake.PACKET_SIZE);
    byte[] s2 = Arrays.copyOfRange(s0s1s2, 1 + Handshake.PACKET_SIZE, Handshake.S0S1S2_SIZE);

    int clientSchema = ServerHandshake.clientSchema(c1);
    if (clientSchema < 0 || !Digests.hasVersion(s1)) {
      return s1;
    }
    int serverSchema = Digests.findSchema(s1, Digests.SERVER_OPEN_KEY);
    if (serverSchema < 0) {
      throw new ProtocolException("S1 claims the digest handshake but carries no valid server digest");
    }
    if (!Digests.signedFor(s2, Digests.digestOf(c1, clientSchema), Digests.SERVER_FULL_KEY)) {
      throw new ProtocolException("S2 is not signed for our C1 digest");
    }
    byte[] c2 = new byte[Handshake.PACKET_SIZE];
    System.arraycopy(s1, 0, c2, 0, Digests.SIGNED_SIZE);
    Digests.sign(c2, Digests.digestOf(s1, serverSchema), Digests.PLAYER_FULL_KEY);
    return c2;
  }
}
