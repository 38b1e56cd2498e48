package dev.streamedge.rtmp.server;

/** Where an RTMP connection is in its life, in order: a state never goes back. */
enum ConnectionState {
  HANDSHAKE,
  /** The handshake is done; the next command must be connect. */
  AWAIT_CONNECT,
  /** connect came, its answer waits for auth.callback.on-connect. */
  CONNECTING,
  CONNECTED,
  CLOSED;

  /** Whether connect was answered (and the connection may since have closed). */
  boolean connected() {
    return compareTo(CONNECTED) >= 0;
  }
}
