package dev.streamedge.session;

import io.vertx.core.Context;

/** A connected client as the API sees it: an RTMP connection, or an HTTP-FLV or WebSocket-FLV player. */
public interface Client {

  /** The context the client lives on; {@link #info} is called there. */
  Context context();

  /** What the client is doing now. On {@link #context()} only. */
  ClientInfo info();

  /** Disconnects the client, on its own context. Any thread. */
  void kick(String reason);

  /**
   * Moves what the client plays or publishes (nginx-rtmp's {@code /control/redirect}) to stream {@code name}
   * of the same app, on its own context: the play or publish ends and one of {@code name} starts on the same
   * connection, asked of auth as any. Any thread. Whether this kind of client can be moved; none can but
   * RTMP ones.
   */
  default boolean redirect(String name) {
    return false;
  }
}
