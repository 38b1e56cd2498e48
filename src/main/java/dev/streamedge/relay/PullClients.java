package dev.streamedge.relay;

import dev.streamedge.media.MediaKind;
import dev.streamedge.rtmp.client.RtmpClientOptions;
import dev.streamedge.rtmp.client.RtmpPlayClient;
import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.rtsp.client.RtspClientLimits;
import dev.streamedge.rtsp.client.RtspPlayClient;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;

/**
 * The clients a pull plays its source with: the RTMP play client for RTMP URLs of any variant, the
 * node's one HTTP client for HTTP-FLV URLs ({@link HttpFlvPull}), the RTSP client for RTSP URLs. Held by the relay service for the
 * node's life: an HTTP client nothing refers to is closed by the garbage collector with its connections.
 */
final class PullClients {

  private final Vertx vertx;
  private final RtmpClientOptions rtmp;
  private final HttpClient http;
  private final int maxTagSize;
  private final long silenceMillis;
  private final RtspClientLimits rtsp;

  /**
   * @param http the client for HTTP-FLV sources; its pool bounds the connections
   * @param maxTagSize the largest FLV tag an HTTP-FLV source may send, as {@code rtmp.max-message-size}
   *     bounds an RTMP one
   * @param silenceMillis how long an HTTP-FLV source may send nothing before it is dropped
   * @param rtsp what an RTSP source's connection may hold, and its silence bound
   */
  PullClients(Vertx vertx, RtmpClientOptions rtmp, HttpClient http, int maxTagSize, long silenceMillis,
      RtspClientLimits rtsp) {
    this.vertx = vertx;
    this.rtmp = rtmp;
    this.http = http;
    this.maxTagSize = maxTagSize;
    this.silenceMillis = silenceMillis;
    this.rtsp = rtsp;
  }

  /**
   * Connects and plays {@code url}; on the caller's context. Completes once the source accepted the
   * play (the play command sent, an HTTP 200, or an RTSP PLAY's 200); then the listener hears the media and the
   * end. What an RTSP source sends comes as the FLV bodies of audio and video messages.
   */
  Future<PullConnection> play(PullUrl url, RtmpPlayClient.Listener listener) {
    if (url instanceof PullUrl.HttpFlv flv) {
      return HttpFlvPull.play(vertx, http, flv, maxTagSize, silenceMillis, listener);
    }
    if (url instanceof PullUrl.Rtsp source) {
      return RtspPlayClient.play(vertx, rtmp.network(), source.url(), rtsp, new RtspPlayClient.Listener() {
        @Override
        public void media(MediaKind kind, long timestampMs, ByteBuf body) {
          listener.media(kind == MediaKind.AUDIO ? MessageType.AUDIO : MessageType.VIDEO, timestampMs, body);
        }

        @Override
        public void closed(String reason) {
          listener.closed(reason);
        }
      }).map(client -> (PullConnection) client::close);
    }
    return RtmpPlayClient.play(vertx, rtmp, ((PullUrl.Rtmp) url).url(), listener)
        .map(client -> (PullConnection) client::close);
  }
}
