package dev.streamedge.srt.server;

import dev.streamedge.srt.SrtPacket;

/**
 * One SRT caller the listener keeps, from its conclusion handshake to its end: a publisher ({@link
 * SrtConnection}) or a player ({@link SrtPlayer}). On the listener's context.
 */
sealed interface SrtSession permits SrtConnection, SrtPlayer {

  /** The socket id this side gave the caller, which its packets are addressed to. */
  int socketId();

  /** The caller's own socket id, which this side's packets are addressed to. */
  int peerSocketId();

  Peer peerAddress();

  /** A packet of this session's caller. */
  void packet(SrtPacket packet, long nowMicros);

  /** The listener's 10 ms beat. */
  void tick(long nowMicros);

  /** A conclusion the caller sent again: it has not heard the answer, if there is one yet. */
  void concludedAgain();

  /** Ends the session; the caller is told with a shutdown when {@code tellPeer}. */
  void close(String reason, boolean tellPeer);
}
