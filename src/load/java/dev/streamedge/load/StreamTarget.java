package dev.streamedge.load;

import dev.streamedge.rtmp.client.RtmpClientOptions;
import dev.streamedge.rtmp.client.RtmpUrl;
import dev.streamedge.rtmp.client.Variant;
import io.vertx.core.net.NetClientOptions;

/**
 * Where the stream is published, or where RTMP players play it: {@code rtmp://host[:port]/app/name},
 * or any other of the six variants by its scheme ({@code rtmps}, {@code rtmpe}, {@code rtmpt},
 * {@code rtmpts}, {@code rtmpte}).
 *
 * @param url the server's address, as given on the command line: the load generator connects to no other
 * @param trustAll whether a TLS server's certificate is taken unchecked (a test server's self-signed one)
 */
record StreamTarget(RtmpUrl url, boolean trustAll) {

  /** A plain RTMP target. */
  StreamTarget(String host, int port, String app, String name) {
    this(RtmpUrl.of(Variant.RTMP, host, port, app, name), false);
  }

  /** {@code url} with any of the six schemes; a bad one is an IllegalArgumentException. */
  static StreamTarget parse(String url) {
    return parse(url, false);
  }

  static StreamTarget parse(String url, boolean trustAll) {
    return new StreamTarget(RtmpUrl.parse(url), trustAll);
  }

  Variant variant() {
    return url.variant();
  }

  /** Whether RTMPE's RC4 carries the bytes (rtmpe, rtmpte). */
  boolean encrypted() {
    return url.variant().encrypted();
  }

  int port() {
    return url.port();
  }

  /**
   * Socket options of the load generator's RTMP clients: TCP_NODELAY, and the trust asked for. Its
   * players keep no payload, so the clients reuse their buffers: thousands of players read as many
   * bytes as the server sends, and the load generator must not cost more than the server it measures.
   */
  RtmpClientOptions options() {
    return RtmpClientOptions.of(new NetClientOptions().setTcpNoDelay(true).setTrustAll(trustAll))
        .withTransientPayloads();
  }

  String text() {
    return url.toString();
  }
}
