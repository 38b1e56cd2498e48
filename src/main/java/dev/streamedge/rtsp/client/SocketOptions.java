package dev.streamedge.rtsp.client;

import dev.streamedge.rtsp.RtspSourceUrl;
import io.vertx.core.net.NetClientOptions;

/** The socket options of a client's connection to its source. */
final class SocketOptions {

  private SocketOptions() {
  }

  /** The options of the connection to {@code url}: the caller's, with TLS on for {@code rtsps}. */
  static NetClientOptions of(NetClientOptions network, RtspSourceUrl url) {
    NetClientOptions options = new NetClientOptions(network);
    if (url.tls()) {
      options.setSsl(true);
      if (options.getHostnameVerificationAlgorithm() == null || options.getHostnameVerificationAlgorithm().isEmpty()) {
        // A certificate that does not name the host is refused, as the RTMPS client does (RFC 6125).
        options.setHostnameVerificationAlgorithm(options.isTrustAll() ? "" : "HTTPS");
      }
    }
    return options;
  }
}
