package dev.streamedge.net;

import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;

/**
 * Makes an HTTP connection flush once per event-loop turn instead of at every write, with Netty's
 * {@link FlushConsolidationHandler}: Vert.x flushes each write as it is made, so the GOP a joining
 * WebSocket-FLV player gets would leave in one system call per message. (An HTTP-FLV body bypasses
 * Vert.x and flushes once per turn by itself: {@link RawHttpBody}.) Reaches the pipeline through
 * {@link HttpChannels}.
 *
 * <p>A response made while its request is read is flushed by Vert.x when the read completes, which
 * reaches this handler after its own read-complete: it goes in a task of its own at the end of the turn.
 * Leaving plain HTTP connections without the handler, or a handler of ours that sent that flush at once,
 * gained nothing that showed in CPU profiles of 2000 HLS players (bench/RESULTS.md, 2026-12-05).
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
   * On the connection's event loop, before it carries any request.
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
