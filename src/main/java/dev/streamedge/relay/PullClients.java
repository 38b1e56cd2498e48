package dev.streamedge.relay;

import dev.streamedge.rtmp.client.RtmpClientOptions;
import dev.streamedge.rtmp.client.RtmpPlayClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;

/**
 * The clients a pull plays its source with: the RTMP play client for RTMP URLs of any variant, the
 * node's one HTTP client for HTTP-FLV URLs ({@link HttpFlvPull}). Held by the relay service for the
 * node's life: an HTTP client nothing refers to is closed by the garbage collector with its connections.
 */
final class PullClients {

  private final Vertx vertx;
  private final RtmpClientOptions rtmp;
  private final HttpClient http;
  private final int maxTagSize;
  private final long silenceMillis;

  /**
   * @param http the client for HTTP-FLV sources; its pool bounds the connections
   * @param maxTagSize the largest FLV tag an HTTP-FLV source may send, as {@code rtmp.max-message-size}
   *     bounds an RTMP one
   * @param silenceMillis how long an HTTP-FLV source may send nothing before it is dropped
   */
  PullClients(Vertx vertx, RtmpClientOptions rtmp, HttpClient http, int maxTagSize, long silenceMillis) {
    this.vertx = vertx;
    this.rtmp = rtmp;
    this.http = http;
    this.maxTagSize = maxTagSize;
    this.silenceMillis = silenceMillis;
  }

  /**
   * Connects and plays {@code url}; on the caller's context. Completes once the source accepted the
   * play (the play command sent, or an HTTP 200); then the listener hears the media and the end.
   */
  Future<PullConnection> play(PullUrl url, RtmpPlayClient.Listener listener) {
    if (url instanceof PullUrl.HttpFlv flv) {
      return HttpFlvPull.play(vertx, http, flv, maxTagSize, silenceMillis, listener);
    }
    return RtmpPlayClient.play(vertx, rtmp, ((PullUrl.Rtmp) url).url(), listener)
        .map(client -> (PullConnection) client::close);
  }
}
