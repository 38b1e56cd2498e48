package dev.streamedge.net;

import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Makes an HTTP connection flush once per event-loop turn instead of at every write, with Netty's
 * {@link FlushConsolidationHandler}: Vert.x flushes each chunk of a response as it is written, so the
 * GOP a joining HTTP-FLV player gets would leave in one system call per tag. Reaches the connection's
 * pipeline through Vert.x's internal {@link ConnectionBase}, which every HTTP/1 connection is.
 */
public final class HttpFlushes {

  private static final String NAME = "streamedge-flush-per-turn";
  /** Vert.x's own handler in a connection's pipeline. */
  private static final String VERTX_HANDLER = "handler";
  /** Netty's default: a connection with this many flushes pending in one turn flushes at once. */
  private static final int FLUSH_AFTER = FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES;

  private HttpFlushes() {
  }

  /** On the connection's event loop, before it carries any request. */
  public static void perTurn(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      base.channelHandlerContext().pipeline().addBefore(VERTX_HANDLER, NAME,
          new FlushConsolidationHandler(FLUSH_AFTER, true));
    }
  }
}
