package dev.streamedge.config;

import java.time.Duration;

/**
 * The HTTP listener that serves HLS, HTTP-FLV and WebSocket-FLV.
 *
 * @param host the address to bind
 * @param port the TCP port
 * @param maxConnections the most connections open at once
 * @param maxConnectionsPerAddress the most connections one client address may hold, 0 for no such limit
 * @param headerTimeout the time a client has to send a whole request head
 * @param bodyTimeout the time a client has to send a request's body once its head arrived
 * @param idleTimeout the time a kept-alive connection with no request in flight stays open
 * @param corsOrigin the Access-Control-Allow-Origin value for media responses, empty for none
 * @param tls the HTTPS listener, which serves what the HTTP one does (and so RTMPTS)
 */
public record HttpConfig(String host, int port, int maxConnections, int maxConnectionsPerAddress,
    Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, String corsOrigin, boolean proxyProtocol,
    Tls tls) {

  /**
   * HTTP over TLS. The loader has checked that cert and key are either both empty or both readable
   * files, so {@link #enabled()} is all a listener needs to ask.
   *
   * @param port the TCP port of the HTTPS listener
   * @param cert PEM certificate chain path, relative to the working directory; empty when off
   * @param key PEM private key path, relative to the working directory; empty when off
   * @param versions the TLS versions offered, comma-separated ({@code TLSv1.2}, {@code TLSv1.3} or both)
   * @param engine {@code openssl} (BoringSSL's, when it loads here) or {@code jdk}
   */
  public record Tls(int port, String cert, String key, String versions, String engine) {

    public boolean preferOpenSsl() {
      return "openssl".equals(engine);
    }

    public java.util.Set<String> versionSet() {
      return java.util.Set.of(versions.split(","));
    }


    public boolean enabled() {
      return !cert.isEmpty();
    }
  }
}
