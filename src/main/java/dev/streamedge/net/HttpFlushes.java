package dev.streamedge.net;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.Http1xServerConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Makes an HTTP connection flush once per event-loop turn instead of at every write, with Netty's
 * {@link FlushConsolidationHandler}: Vert.x flushes each chunk of a response as it is written, so the
 * GOP a joining HTTP-FLV player gets would leave in one system call per tag. Reaches the connection's
 * pipeline through Vert.x's internal {@link ConnectionBase}, which every HTTP/1 connection is; a Vert.x
 * upgrade that changes that fails the node's start ({@link #requireSupported()}) rather than silently
 * flushing per write.
 */
public final class HttpFlushes {

  private static final String NAME = "streamedge-flush-per-turn";
  /** Vert.x's own handler in a connection's pipeline. */
  private static final String VERTX_HANDLER = "handler";
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
    if (!ConnectionBase.class.isAssignableFrom(Http1xServerConnection.class)) {
      throw new IllegalStateException("this Vert.x version's HTTP connections are no "
          + ConnectionBase.class.getName() + ": HttpFlushes cannot install its flush handler");
    }
  }

  /**
   * On the connection's event loop, before it carries any request.
   *
   * @throws IllegalStateException when the connection exposes no pipeline
   */
  public static void perTurn(HttpConnection connection) {
    pipelineOf(connection).addBefore(VERTX_HANDLER, NAME, new FlushConsolidationHandler(FLUSH_AFTER, true));
  }

  /** Whether {@link #perTurn} installed its handler on the connection. */
  public static boolean installed(HttpConnection connection) {
    return pipelineOf(connection).get(NAME) != null;
  }

  private static ChannelPipeline pipelineOf(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      return base.channelHandlerContext().pipeline();
    }
    throw new IllegalStateException("HTTP connection " + connection.getClass().getName() + " is no "
        + ConnectionBase.class.getName() + ": HttpFlushes cannot install its flush handler");
  }
}
