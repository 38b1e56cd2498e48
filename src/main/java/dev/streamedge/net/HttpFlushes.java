package dev.streamedge.net;

import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;

/**
 * Makes a WebSocket flush once per event-loop turn instead of at every write, with Netty's
 * {@link FlushConsolidationHandler}: Vert.x flushes each write made outside a read as it is made, so the
 * GOP a joining WebSocket-FLV player gets would leave in one system call per message. Installed on an
 * upgraded connection only: a plain HTTP request answered while it is read is already flushed once, when
 * the read completes (Vert.x's {@code VertxConnection.readComplete}); that flush reaches the handler after
 * its own read-complete has ended its read, so on every connection it turned each response's flush into a
 * task of its own (a PromiseTask per HLS request, 2.5% of the event loops' samples at 2000 HLS players).
 * (An HTTP-FLV body bypasses Vert.x and flushes once per turn by itself: {@link RawHttpBody}.) Reaches the
 * pipeline through {@link HttpChannels}.
 */
public final class HttpFlushes {

  private static final String NAME = "streamedge-flush-per-turn";
  /** Netty's default: a connection with this many flushes pending in one turn flushes at once. */
  private static final int FLUSH_AFTER = FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES;

  private HttpFlushes() {
  }

  /**
   * Called when the HTTP listener starts.
   *
   * @throws IllegalStateException when this Vert.x version's HTTP/1 connections expose no pipeline
   */
  public static void requireSupported() {
    HttpChannels.requireSupported();
  }

  /**
   * On the connection's event loop, once its upgrade to a WebSocket succeeded and before anything is
   * written on the WebSocket.
   *
   * @throws IllegalStateException when the connection exposes no pipeline
   */
  public static void perTurn(HttpConnection connection) {
    HttpChannels.of(connection).pipeline().addBefore(HttpChannels.VERTX_HANDLER, NAME,
        new FlushConsolidationHandler(FLUSH_AFTER, true));
  }

  /** Whether {@link #perTurn} installed its handler on the connection. */
  public static boolean installed(HttpConnection connection) {
    return HttpChannels.of(connection).pipeline().get(NAME) != null;
  }
}
