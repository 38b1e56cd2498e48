package dev.streamedge.net;

import io.netty.channel.Channel;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.Http1xServerConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.time.Duration;

/**
 * The Netty channel under a Vert.x HTTP/1 server connection, reached through Vert.x's internal
 * {@link ConnectionBase}, which every HTTP/1 connection is: the one place that relies on it. A Vert.x
 * upgrade that changes that fails the node's start ({@link #requireSupported()}) rather than silently
 * leaving connections without their flush handler or deadlines.
 */
public final class HttpChannels {

  /** Vert.x's own handler in a connection's pipeline: handlers that watch requests go before it. */
  static final String VERTX_HANDLER = "handler";

  private HttpChannels() {
  }

  /**
   * Called when an HTTP listener starts.
   *
   * @throws IllegalStateException when this Vert.x version's HTTP/1 connections expose no channel
   */
  public static void requireSupported() {
    if (!ConnectionBase.class.isAssignableFrom(Http1xServerConnection.class)) {
      throw new IllegalStateException("this Vert.x version's HTTP connections are no "
          + ConnectionBase.class.getName() + ": their pipeline cannot be reached");
    }
  }

  /**
   * The connection's channel.
   *
   * @throws IllegalStateException when the connection is not Vert.x's HTTP/1 one
   */
  public static Channel of(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      return base.channel();
    }
    throw new IllegalStateException("HTTP connection " + connection.getClass().getName() + " is no "
        + ConnectionBase.class.getName() + ": its pipeline cannot be reached");
  }

  /**
   * Makes the client a PROXY protocol header named the connection's remote address (see
   * {@link ProxiedClient}); call it before anything asks for that address. Nothing happens to a connection
   * whose listener reads no such header.
   */
  public static void useProxiedClient(HttpConnection connection) {
    if (connection instanceof ConnectionBase base && base.metric() instanceof ProxiedClient proxied) {
      base.channel().attr(ConnectionBase.REMOTE_ADDRESS_OVERRIDE).set(proxied.client());
    }
  }

  /**
   * Closes the connection's channel {@code grace} from now unless it closed by then, past every handler
   * of its pipeline: Vert.x's own close, of the connection or of a WebSocket on it, first writes what it
   * queued, which a client that reads nothing never lets happen. What is still unsent is dropped.
   */
  public static void closeWithin(HttpConnection connection, Duration grace) {
    ChannelCutOff.within(of(connection), grace);
  }

  /**
   * Runs {@code closed} once the connection's channel is closed, whatever the connection became
   * meanwhile: a WebSocket upgrade replaces the HTTP connection in the pipeline, and the HTTP
   * connection's own close handler then never runs.
   */
  public static void whenClosed(HttpConnection connection, Runnable closed) {
    of(connection).closeFuture().addListener(f -> closed.run());
  }
}
