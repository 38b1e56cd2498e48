package dev.streamedge.http;

import dev.streamedge.config.PlayerConfig;
import dev.streamedge.ops.Metrics;
import dev.streamedge.ops.Protocol;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP-FLV ({@code GET /<app>/<key>.flv}, chunked) and WebSocket-FLV (the same path upgraded): a
 * player of a live stream; 404 when the stream is live neither here nor, in a cluster, on another node
 * (the subscription then makes this node pull it).
 */
final class FlvHandler {

  private static final Logger LOG = LoggerFactory.getLogger(FlvHandler.class);

  private final StreamRegistry registry;
  private final MediaHeaders headers;
  private final PlayerConfig player;
  private final Metrics metrics;

  FlvHandler(StreamRegistry registry, MediaHeaders headers, PlayerConfig player, Metrics metrics) {
    this.registry = registry;
    this.headers = headers;
    this.player = player;
    this.metrics = metrics;
  }

  void play(RoutingContext ctx, String app, String name) {
    StreamKey key = HttpServerVerticle.keyOrBadRequest(ctx, app, name);
    if (key == null) {
      return;
    }
    if (!registry.isAvailable(key)) {
      headers.cors(ctx.response()).setStatusCode(404).end();
      return;
    }
    HttpServerRequest request = ctx.request();
    Context context = Vertx.currentContext();
    String peer = String.valueOf(request.remoteAddress());
    if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
      request.toWebSocket()
          .onSuccess(ws -> playOverWebSocket(context, ws, key, peer))
          .onFailure(e -> LOG.info("ws-flv refused {} stream={} reason={}", peer, key, e.getMessage()));
    } else {
      playOverHttp(context, ctx.response(), key, peer);
    }
  }

  private void playOverHttp(Context context, HttpServerResponse response, StreamKey key, String peer) {
    headers.cors(response)
        .setChunked(true)
        .putHeader("Content-Type", "video/x-flv")
        .putHeader("Cache-Control", "no-cache")
        .setWriteQueueMaxSize((int) player.socketWriteBuffer().bytes());
    FlvPlayer flv = new FlvPlayer(context, new FlvPlayer.Transport() {
      @Override
      public boolean writeQueueFull() {
        return response.writeQueueFull();
      }

      @Override
      public void write(Buffer data) {
        response.write(data);
      }

      @Override
      public void end() {
        response.end();
      }

      @Override
      public void abort() {
        response.reset();
      }
    }, key, peer, metrics.player(Protocol.HTTP_FLV), player);
    response.drainHandler(v -> flv.drain());
    response.closeHandler(v -> flv.stop("client closed the connection"));
    flv.start(registry.subscribe(key, flv));
  }

  private void playOverWebSocket(Context context, ServerWebSocket ws, StreamKey key, String peer) {
    ws.setWriteQueueMaxSize((int) player.socketWriteBuffer().bytes());
    FlvPlayer flv = new FlvPlayer(context, new FlvPlayer.Transport() {
      @Override
      public boolean writeQueueFull() {
        return ws.writeQueueFull();
      }

      @Override
      public void write(Buffer data) {
        ws.writeBinaryMessage(data);
      }

      @Override
      public void end() {
        ws.close();
      }

      @Override
      public void abort() {
        ws.close((short) 1008, "behind live");
      }
    }, key, peer, metrics.player(Protocol.WS_FLV), player);
    ws.drainHandler(v -> flv.drain());
    ws.closeHandler(v -> flv.stop("client closed the connection"));
    flv.start(registry.subscribe(key, flv));
  }
}
