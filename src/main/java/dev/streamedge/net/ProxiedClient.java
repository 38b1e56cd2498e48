package dev.streamedge.net;

import io.vertx.core.net.SocketAddress;

/**
 * An HTTP connection's socket metric, with the client that the connection's PROXY protocol header named.
 *
 * <p>Why: Vert.x 5.0 keeps a header's client address in a channel attribute that the first connection
 * object to ask for its remote address takes (and clears). With metrics on, that is the {@code NetSocket}
 * Vert.x makes for the accept, which its HTTP server then drops for an HTTP connection of its own, which
 * then sees the balancer's address. The socket metric made for that accept is passed on to the HTTP
 * connection: made by this node's HTTP server metrics, it carries the client there, and
 * {@link HttpChannels#useProxiedClient} gives it back to the connection.
 *
 * @param metric the socket metric of Vert.x's own meters, which they are given back
 * @param client the address the header named
 */
public record ProxiedClient(Object metric, SocketAddress client) {

  /** {@code socketMetric}'s Vert.x meters' own metric. */
  public static Object unwrap(Object socketMetric) {
    return socketMetric instanceof ProxiedClient proxied ? proxied.metric() : socketMetric;
  }
}
