package dev.streamedge.config;

/**
 * The HTTP listener that serves HLS, HTTP-FLV and WebSocket-FLV.
 *
 * @param host the address to bind
 * @param port the TCP port
 * @param maxConnections the most connections open at once
 * @param corsOrigin the Access-Control-Allow-Origin value for media responses, empty for none
 */
public record HttpConfig(String host, int port, int maxConnections, String corsOrigin) {
}
