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
}
