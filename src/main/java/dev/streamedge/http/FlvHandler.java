package dev.streamedge.http;

import dev.streamedge.auth.AuthRequest;
import dev.streamedge.config.PlayerConfig;
import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.media.WireFormat;
import dev.streamedge.metrics.Metrics;
import dev.streamedge.metrics.Refusal;
import dev.streamedge.net.HttpChannels;
import dev.streamedge.net.LoopFlushes;
import dev.streamedge.net.RawHttpBody;
import dev.streamedge.net.SendBacklog;
import dev.streamedge.session.ClientRegistry;
import dev.streamedge.session.Protocol;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP-FLV ({@code GET /<app>/<key>.flv}, a body the connection's close ends) and WebSocket-FLV (the same path upgraded): a
 * player of a live stream; 404 when the stream is live neither here nor, in a cluster, on another node
 * (the subscription then makes this node pull it).
 */
final class FlvHandler {

  private static final Logger LOG = LoggerFactory.getLogger(FlvHandler.class);
  private static final RateLimitedLog REFUSED_LOG = RateLimitedLog.of(LOG, "refused");

  private final StreamRegistry registry;
  private final WireFormat flvTags;
  private final MediaHeaders headers;
  private final PlayerConfig player;
  private final Metrics metrics;
  private final PlayAuth auth;
  private final ClientRegistry clients;
  private final LoopFlushes flushes;
  /** This handler's players, on its verticle's context: ended when the node shuts down. */
  private final Set<FlvPlayer> playing = new HashSet<>();
  /** What stops each player's auth.callback.on-update asking (a no-op without the URL). */
  private final Map<FlvPlayer, Runnable> watching = new HashMap<>();

  FlvHandler(StreamRegistry registry, WireFormat flvTags, MediaHeaders headers, PlayerConfig player, Metrics metrics,
      PlayAuth auth, ClientRegistry clients, LoopFlushes flushes) {
    this.registry = registry;
    this.flvTags = flvTags;
    this.headers = headers;
    this.player = player;
    this.metrics = metrics;
    this.auth = auth;
    this.clients = clients;
    this.flushes = flushes;
  }

  void play(RoutingContext ctx, String app, String name) {
    StreamKey key = HttpServerVerticle.keyOrBadRequest(ctx.request(), app, name);
    if (key == null) {
      return;
    }
    HttpServerRequest request = ctx.request();
    boolean webSocket = "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
    if (webSocket) {
      // An upgrade must find the request not yet read to its end, and auth may answer later: the
      // paused request keeps its end until toWebSocket() resumes it.
      request.pause();
    }
    // Auth before the 404, so that who may not play cannot probe which streams are live.
    // The stream played: the one asked for, or the one the play callback renamed it to.
    auth.check(ctx.request(), key, webSocket ? "ws-flv" : "http-flv", (play, played) -> {
      if (ctx.response().closed()) {
        // Gone while auth was asked: nobody to play to, and no close handler would ever stop a player.
        return;
      }
      if (!registry.isAvailable(played)) {
        if (webSocket) {
          request.resume();
        }
        headers.cors(ctx.response()).setStatusCode(404).end();
        return;
      }
      Context context = Vertx.currentContext();
      String peer = String.valueOf(request.remoteAddress());
      // The same channel carries the WebSocket the request may become.
      SendBacklog backlog = SendBacklog.of(request.connection());
      if (webSocket) {
        request.toWebSocket()
            .onSuccess(ws -> playOverWebSocket(context, ws, request.connection(), backlog, played, peer, play))
            .onFailure(e -> REFUSED_LOG.info("ws-flv refused {} stream={} reason={}", peer, played, e.getMessage()));
      } else {
        playOverHttp(context, ctx.response(), request.connection(), backlog, played, peer, play);
      }
    });
  }

  private void playOverHttp(Context context, HttpServerResponse response, HttpConnection connection,
      SendBacklog backlog, StreamKey key,
      String peer, AuthRequest play) {
    HttpBodyTransport transport = new HttpBodyTransport(response, connection, backlog);
    FlvPlayer flv = new FlvPlayer(context, transport, key, peer, flvTags, metrics.player(Protocol.HTTP_FLV), player,
        stopped -> ended(stopped, play), clients);
    if (!flv.register()) {
      refuseFull(peer, key);
      headers.cors(response).setStatusCode(503).end();
      return;
    }
    playing.add(flv);
    watching.put(flv, auth.watch(play, flv::kick));
    headers.cors(response)
        .putHeader("Content-Type", "video/x-flv")
        .putHeader("Cache-Control", "no-cache")
        .setWriteQueueMaxSize((int) player.socketWriteBuffer().bytes());
    transport.onWritable = flv::drain;
    response.drainHandler(v -> flv.drain());
    response.closeHandler(v -> flv.stop("client closed the connection"));
    flv.play(registry);
  }

  /**
   * An HTTP-FLV response: its head goes out with the first write, and the body after it as a
   * {@link RawHttpBody}, written to the socket as RTMP media is and ended by the connection's close.
   */
  private final class HttpBodyTransport implements FlvPlayer.Transport {

    private final HttpServerResponse response;
    private final HttpConnection connection;
    private final SendBacklog backlog;
    private Runnable onWritable;
    /** Null until the first write sends the head. */
    private RawHttpBody body;

    HttpBodyTransport(HttpServerResponse response, HttpConnection connection, SendBacklog backlog) {
      this.response = response;
      this.connection = connection;
      this.backlog = backlog;
    }

    @Override
    public boolean writeQueueFull() {
      return body == null ? response.writeQueueFull() : body.full();
    }

    @Override
    public long unackedBytes() {
      return backlog.bytes();
    }

    @Override
    public void write(Buffer data) {
      if (body == null) {
        body = RawHttpBody.start(response, connection, onWritable, flushes);
      }
      body.write(data);
    }

    @Override
    public void end() {
      if (body == null) {
        // The stream ended before any media: the answer a player gets for a stream that is not live,
        // not an empty 200 that it would take for a stream played to its end.
        response.headers().remove(HttpHeaders.CONTENT_TYPE);
        response.setStatusCode(404).end();
        return;
      }
      // The body ends with the connection; a client gets what it is behind by at most max-behind to read it.
      body.end(response, player.maxBehind());
    }

    @Override
    public void abort(String why) {
      if (body == null) {
        response.reset();
      } else {
        // Not through Vert.x, whose close first waits for what it queued to be written.
        body.abort();
      }
    }
  }

  private void refuseFull(String peer, StreamKey key) {
    REFUSED_LOG.warn("refused {} stream={}: the node holds as many clients as its connection limits allow", peer,
        key);
    metrics.refused(Refusal.LIMIT);
  }

  /** Ends every player of this handler: the node is shutting down. Its context only. */
  void shutdown() {
    List.copyOf(playing).forEach(FlvPlayer::shutdown);
  }

  private void ended(FlvPlayer stopped, AuthRequest play) {
    playing.remove(stopped);
    Runnable unwatch = watching.remove(stopped);
    if (unwatch != null) {
      unwatch.run();
    }
    auth.ended(play);
  }

  private void playOverWebSocket(Context context, ServerWebSocket ws, HttpConnection connection, SendBacklog backlog,
      StreamKey key, String peer, AuthRequest play) {
    ws.setWriteQueueMaxSize((int) player.socketWriteBuffer().bytes());
    FlvPlayer flv = new FlvPlayer(context, new FlvPlayer.Transport() {
      @Override
      public boolean writeQueueFull() {
        // After the client's close frame and before the close handler runs, a closed WebSocket throws on
        // writeQueueFull(); counting it full holds packets back until the close handler stops the player.
        return ws.isClosed() || ws.writeQueueFull();
      }

      @Override
      public long unackedBytes() {
        return backlog.bytes();
      }

      @Override
      public void write(Buffer data) {
        ws.writeBinaryMessage(data);
      }

      @Override
      public void end() {
        ws.close();
        // A client that reads nothing would hold its socket for ever: at most max-behind to take the rest.
        HttpChannels.closeWithin(connection, player.maxBehind());
      }

      @Override
      public void abort(String why) {
        ws.close((short) 1008, why);
        HttpChannels.closeWithin(connection, player.maxBehind());
      }
    }, key, peer, flvTags, metrics.player(Protocol.WS_FLV), player, stopped -> ended(stopped, play), clients);
    if (!flv.register()) {
      refuseFull(peer, key);
      // 1013, Try Again Later (RFC 6455 §7.4.1 leaves it to IANA's registry).
      ws.close((short) 1013, "server full");
      return;
    }
    playing.add(flv);
    watching.put(flv, auth.watch(play, flv::kick));
    ws.drainHandler(v -> flv.drain());
    ws.closeHandler(v -> flv.stop("client closed the connection"));
    flv.play(registry);
  }
}
