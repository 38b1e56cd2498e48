package dev.streamedge.rtmp.handshake;

/** Sizes and the version byte of the RTMP handshake (RTMP 1.0 §5.2). */
public final class Handshake {
  /** C0/S0 version byte of plain RTMP (§5.2.2); 6, 8 and 9 are the encrypted RTMPE variants. */
  public static final int VERSION = 3;
  /** Size of C1/S1/C2/S2 (§5.2.3, §5.2.4). */
  public static final int PACKET_SIZE = 1536;
  /** What a client sends first: C0 then C1. */
  public static final int C0C1_SIZE = 1 + PACKET_SIZE;
  /** What a server answers with: S0, S1 and S2 in one write. */
  public static final int S0S1S2_SIZE = 1 + 2 * PACKET_SIZE;

  private Handshake() {
  }
}
