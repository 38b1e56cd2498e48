package dev.streamedge.http;

import dev.streamedge.api.Api;
import dev.streamedge.auth.AuthService;
import dev.streamedge.config.StreamedgeConfig;
import dev.streamedge.hls.HlsService;
import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.media.WireFormat;
import dev.streamedge.metrics.Metrics;
import dev.streamedge.metrics.Refusal;
import dev.streamedge.net.EventLoops;
import dev.streamedge.net.HttpChannels;
import dev.streamedge.net.HttpFlushes;
import dev.streamedge.net.LoopFlushes;
import dev.streamedge.net.TlsEngines;
import dev.streamedge.ops.Health;
import dev.streamedge.ops.OpsRoutes;
import dev.streamedge.rtmpt.RtmptRoutes;
import dev.streamedge.rtmpt.RtmptSessions;
import dev.streamedge.session.ClientRegistry;
import dev.streamedge.session.SegmentSessions;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamNames;
import dev.streamedge.stream.StreamRegistry;
import dev.streamedge.transcode.TranscodeService;
import dev.streamedge.ui.Dashboard;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP listener of a node: HLS, HTTP-FLV, WebSocket-FLV, RTMPT, health, the API and (unless it
 * has a port of its own) metrics, on one router; and the listeners of {@code rtmpt.ports}, which serve
 * RTMPT alone. Deployed once per event loop on the same ports.
 */
public final class HttpServerVerticle extends VerticleBase {

  private static final RateLimitedLog REFUSED_LOG = RateLimitedLog.of(LoggerFactory.getLogger(HttpServerVerticle.class),
      "http refused");

  private final StreamedgeConfig config;
  private final StreamRegistry registry;
  private final WireFormat flvTags;
  private final HlsService hls;
  private final AuthService auth;
  private final HttpConnectionGate gate;
  private final Metrics metrics;
  private final Health health;
  private final ClientRegistry clients;
  private final Api api;
  private final RtmptSessions rtmpt;
  private final TranscodeService transcode;
  private final SegmentSessions hlsSessions;
  private final Dashboard dashboard;
  private HttpServer server;
  /** The HTTPS listener, when http.tls.cert and http.tls.key are set; null otherwise. */
  private HttpServer tlsServer;
  /** The listeners of {@code rtmpt.ports}, which serve RTMPT alone. */
  private final List<HttpServer> rtmptServers = new ArrayList<>();
  private FlvHandler flvHandler;
  private HlsRoute hlsRoute;

  /**
   * {@code gate} admits the listener's connections and holds their limits and deadlines, shared by every
   * instance; FLV players are written each packet's encoding in {@code flvTags} and register in
   * {@code clients}.
   */
  public HttpServerVerticle(StreamedgeConfig config, StreamRegistry registry, WireFormat flvTags, HlsService hls,
      AuthService auth, HttpConnectionGate gate, Metrics metrics, Health health, ClientRegistry clients, Api api,
      RtmptSessions rtmpt, TranscodeService transcode,
      SegmentSessions hlsSessions, Dashboard dashboard) {
    this.config = config;
    this.registry = registry;
    this.flvTags = flvTags;
    this.hls = hls;
    this.auth = auth;
    this.gate = gate;
    this.metrics = metrics;
    this.health = health;
    this.clients = clients;
    this.api = api;
    this.rtmpt = rtmpt;
    this.transcode = transcode;
    this.hlsSessions = hlsSessions;
    this.dashboard = dashboard;
  }

  @Override
  public Future<?> start() {
    HttpFlushes.requireSupported();
    Router router = Router.router(vertx);
    MediaHeaders headers = new MediaHeaders(config.http().corsOrigin());
    PlayAuth playAuth = new PlayAuth(auth, headers, registry);
    HlsHandler hlsHandler = new HlsHandler(hls, headers, metrics.hls(), playAuth);
    MasterPlaylistHandler seeds = new MasterPlaylistHandler(transcode, hlsHandler, headers, metrics.hls(), playAuth);
    flvHandler = new FlvHandler(registry, flvTags, headers, config.player(), metrics, playAuth, clients,
        new LoopFlushes(EventLoops.loopOf(context)));

    router.route().handler(MalformedQueries.refuse(metrics));
    router.route().method(HttpMethod.OPTIONS).handler(headers::preflight);
    // Every HLS URL (docs/playback.md; HlsPath) in one route, first after preflight: an HLS player makes up
    // to ten requests a second, which need not be tried against the API's, the dashboard's and RTMPT's
    // routes. It also counts HLS viewers as sessions (session/HlsSessions), and refuses them while draining.
    // The media listeners serve an HLS URL whose path needs no normalization in front of the router
    // (HlsRoute.serveDirect, below); this route serves the others.
    hlsRoute = new HlsRoute(seeds, hlsHandler, new HlsKeyHandler(hls, headers, playAuth),
        new HlsSessionHook(hlsSessions.hls()), health::draining);
    router.route("/hls/*").handler(hlsRoute::handle);
    // Probes must reach the port the traffic uses, so health is here even when metrics has its own port.
    OpsRoutes.health(router, health);
    if (!config.metrics().ownPort()) {
      OpsRoutes.metrics(router, metrics);
    }
    api.mount(router);
    dashboard.mount(router);
    // Before the draining route: a draining node refuses new RTMPT sessions (503) but serves the open
    // ones, whose publishers it keeps for the drain time as it keeps RTMP ones.
    RtmptRoutes rtmptRoutes = new RtmptRoutes(rtmpt, health::draining);
    rtmptRoutes.mount(router);
    // Draining, the node takes no new viewer: they go to another node (Kubernetes takes this one out of
    // its Service as soon as readiness says 503).
    router.route().handler(ctx -> {
      if (health.draining()) {
        refuseDraining(ctx.request());
      } else {
        ctx.next();
      }
    });
    // MPEG-DASH from the HLS packager's segments (nginx-rtmp's /dash/<key>.mpd), after the draining route.
    DashHandler dash = new DashHandler(hls, hlsHandler, headers, metrics.hls(), playAuth, hlsSessions.dash(),
        transcode);
    router.route("/dash/*").handler(dash::handle);
    // The files of vod.apps (/<app>/<file>.flv or .mp4), before the live HTTP-FLV route of the same form.
    FileRoutes.mount(vertx, router, config.vod().directories(), playAuth, headers);
    // Node-Media-Server's form: /<app>/<key>.flv, over HTTP or upgraded to a WebSocket.
    router.routeWithRegex("/([^/]+)/([^/]+)\\.flv").method(HttpMethod.GET)
        .handler(ctx -> flvHandler.play(ctx, ctx.pathParam("param0"), ctx.pathParam("param1")));
    router.route().last().handler(ctx -> ctx.response().setStatusCode(404).end());

    server = listener(config.http().port(), router, false, true);
    Future<?> listening = server.listen();
    if (config.http().tls().enabled()) {
      // The same router over TLS: HLS, FLV, the API and RTMPTS on http.tls.port.
      tlsServer = listener(config.http().tls().port(), router, true, true);
      listening = listening.compose(v -> tlsServer.listen());
    }
    for (int port : rtmpt.ports()) {
      // Port 80 and the like, which firewalls let through when they let nothing else: RTMPT alone.
      Router tunnelOnly = Router.router(vertx);
      tunnelOnly.route().handler(MalformedQueries.refuse(metrics));
      rtmptRoutes.mount(tunnelOnly);
      tunnelOnly.route().last().handler(ctx -> ctx.response().setStatusCode(404).end());
      HttpServer extra = listener(port, tunnelOnly, false, false);
      rtmptServers.add(extra);
      listening = listening.compose(v -> extra.listen());
    }
    return listening;
  }

  /** A listener serving {@code router}, and HLS in front of it when {@code hls}. */
  private HttpServer listener(int port, Router router, boolean tls, boolean hls) {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.http().host())
        .setPort(port)
        .setTcpNoDelay(true)
        .setSendBufferSize((int) config.player().socketSendBuffer().bytes())
        .setReuseAddress(true)
        // With cleartext HTTP/2 on, Vert.x waits for a connection's first bytes to tell HTTP/2 from
        // HTTP/1 before anyone sees the connection: a client that sends nothing would be neither
        // counted nor timed out. No player speaks cleartext HTTP/2 (browsers use HTTP/2 over TLS only).
        .setHttp2ClearTextEnabled(false)
        // The one WebSocket here carries FLV, which deflate cannot shrink: with Vert.x's default a browser
        // (which offers permessage-deflate, RFC 7692) had every message deflated for it alone, at the
        // cost of a zlib stream per player. Off, the 101 answer names no extension, and no connection
        // carries the extension handler in its pipeline.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        // Every response is written on its connection's event loop (answers computed elsewhere hop
        // back first), so Vert.x writes it straight to the channel, without the queue for writes from
        // other threads (a 4 KiB array and a queue object per connection, and a drain per write).
        .setStrictThreadMode(true)
        // Read before the connection is handed over (so before http.header-timeout starts), within
        // that same time; the client it names is every request's remote address.
        .setUseProxyProtocol(config.http().proxyProtocol())
        .setProxyProtocolTimeout(config.http().headerTimeout().toMillis())
        .setProxyProtocolTimeoutUnit(TimeUnit.MILLISECONDS);
    if (tls) {
      options.setSsl(true).setEnabledSecureTransportProtocols(config.http().tls().versionSet())
          .setSslEngineOptions(TlsEngines.of(config.http().tls().preferOpenSsl()))
          .setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(config.http().tls().cert())
          .setKeyPath(config.http().tls().key()));
    }
    HttpServer listener = vertx.createHttpServer(options);
    if (options.isUseProxyProtocol()) {
      // As rtmp.proxy-protocol's: a connection without a header ends before it is an HTTP connection.
      listener.exceptionHandler(error -> {
        metrics.refused(Refusal.BAD_INPUT);
        REFUSED_LOG.warn("refused a connection to port {}: {} (http.proxy-protocol is on)", port,
            error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage());
      });
    }
    listener.connectionHandler(connection -> {
      // Before anything asks for the connection's address: behind a PROXY protocol balancer, the client's.
      HttpChannels.useProxiedClient(connection);
      // Flushes first: the deadlines' close then passes the flush handler, which sends what it held.
      HttpFlushes.perTurn(connection);
      gate.handle(connection);
    });
    // A request Netty cannot parse (garbage, an overlong line or head) gets Vert.x's 400/414/431 and is
    // closed; it is counted, so that a flood of garbage shows in the metrics.
    listener.invalidRequestHandler(request -> {
      metrics.refused(Refusal.BAD_INPUT);
      HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER.handle(request);
    });
    if (!hls) {
      return listener.requestHandler(router);
    }
    return listener.requestHandler(request -> {
      if (!hlsRoute.serveDirect(request)) {
        router.handle(request);
      }
    });
  }

  /** The node is shutting down: ends this verticle's FLV players (HLS has no sessions to end). */
  public void shutdown() {
    context.runOnContext(v -> flvHandler.shutdown());
  }

  public int actualPort() {
    return server.actualPort();
  }

  /** The HTTPS port actually bound, or -1 when HTTPS is off. */
  public int tlsPort() {
    return tlsServer == null ? -1 : tlsServer.actualPort();
  }

  /** The ports of the {@code rtmpt.ports} listeners actually bound. */
  public List<Integer> rtmptPorts() {
    return rtmptServers.stream().map(HttpServer::actualPort).toList();
  }

  /** The stream a request names, or null after answering 400 for a name that cannot be a stream. */
  /** A draining node's answer to a new viewer: 503, and the connection closed so the client goes elsewhere. */
  static void refuseDraining(HttpServerRequest request) {
    request.response().setStatusCode(503).putHeader("Connection", "close").end();
  }

  static StreamKey keyOrBadRequest(HttpServerRequest request, String app, String name) {
    if (!StreamNames.valid(app) || !StreamNames.valid(name)) {
      request.response().setStatusCode(400).end();
      return null;
    }
    return new StreamKey(app, name);
  }
}
