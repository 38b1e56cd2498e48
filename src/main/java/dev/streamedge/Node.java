package dev.streamedge;

import com.hazelcast.core.HazelcastInstance;
import dev.streamedge.api.Api;
import dev.streamedge.auth.AuthService;
import dev.streamedge.cluster.ClusterConfigFactory;
import dev.streamedge.cluster.MembershipLog;
import dev.streamedge.cluster.NodeBoard;
import dev.streamedge.cluster.StreamDirectory;
import dev.streamedge.cluster.link.MediaLinkVerticle;
import dev.streamedge.config.StreamedgeConfig;
import dev.streamedge.exec.ExecService;
import dev.streamedge.flv.FlvTag;
import dev.streamedge.hls.HlsService;
import dev.streamedge.http.HttpConnectionGate;
import dev.streamedge.http.HttpServerVerticle;
import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.media.WireFormat;
import dev.streamedge.media.WireFormats;
import dev.streamedge.metrics.Metrics;
import dev.streamedge.metrics.Refusal;
import dev.streamedge.net.HttpDeadlines;
import dev.streamedge.net.TlsEngines;
import dev.streamedge.net.Transports;
import dev.streamedge.ops.Health;
import dev.streamedge.ops.NodeLoad;
import dev.streamedge.ops.OpsServerVerticle;
import dev.streamedge.relay.RelayService;
import dev.streamedge.record.RecordService;
import dev.streamedge.rtmp.server.RtmpServer;
import dev.streamedge.rtmp.server.RtmpServerVerticle;
import dev.streamedge.rtmpt.RtmptSessions;
import dev.streamedge.session.ClientRegistry;
import dev.streamedge.session.HlsSessions;
import dev.streamedge.session.Protocol;
import dev.streamedge.session.SegmentSessions;
import dev.streamedge.rtsp.server.RtspServer;
import dev.streamedge.srt.server.SrtServer;
import dev.streamedge.ui.Dashboard;
import dev.streamedge.stream.PublishGate;
import dev.streamedge.stream.StreamInfo;
import dev.streamedge.stream.StreamRegistry;
import dev.streamedge.thumbnail.ThumbnailService;
import dev.streamedge.transcode.TranscodeService;
import dev.streamedge.vod.VodLibrary;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running streamedge node: Vert.x with one event loop per core and the protocol verticles, each
 * deployed once per event loop so that connections spread over every core.
 */
public final class Node {

  private static final Logger LOG = LoggerFactory.getLogger(Node.class);

  private final Vertx vertx;
  private final StreamedgeConfig config;
  private final StreamRegistry registry;
  /** The FLV tags every packet is encoded in once, for all HTTP-FLV and WebSocket-FLV players. */
  private final WireFormat flvTags;
  private final RtmpServer rtmp;
  /** SRT's and RTSP's listeners. */
  private final MoreListeners listeners;
  private final HlsService hls;
  private final RecordService record;
  private final Metrics metrics;
  private final Health health;
  private volatile OpsServerVerticle ops;
  private final AuthService auth;
  private final ClientRegistry clients;
  private final Api api;
  private final SegmentSessions hlsSessions;
  private final Dashboard dashboard;
  /** What each cluster node says of itself, for the dashboard; null on a single node. */
  private volatile NodeBoard board;
  private final RelayService relays;
  private final TranscodeService transcode;
  private final ThumbnailService thumbnails;
  private final ExecService exec;
  private final RtmptSessions rtmpt;
  private final Queue<RtmpServerVerticle> rtmpVerticles = new ConcurrentLinkedQueue<>();
  private final Queue<HttpServerVerticle> httpVerticles = new ConcurrentLinkedQueue<>();
  private final int eventLoops;
  private final HttpDeadlines.Timeouts httpTimeouts;
  private final HttpConnectionGate httpGate;

  /** {@code directory} is the cluster's stream directory, also the {@code gate}; empty on a single node. */
  private Node(Vertx vertx, StreamedgeConfig config, int eventLoops, PublishGate gate,
      Optional<StreamDirectory> directory, Metrics metrics, Health health) {
    this.vertx = vertx;
    this.config = config;
    this.eventLoops = eventLoops;
    this.metrics = metrics;
    this.health = health;
    RateLimitedLog.limit(config.log().maxLinesPerSecond());
    // A cluster's edge nodes refuse publishers: they belong on origin nodes.
    boolean publishes = !config.cluster().enabled() || config.cluster().role().publishes();
    // Every packet is encoded once in each protocol's wire format, for all players of that protocol.
    WireFormats formats = new WireFormats();
    WireFormat rtmpChunks = formats.register("rtmp", RtmpServer.fanOutEncoder(config.rtmp().chunkSize()));
    this.flvTags = formats.register("flv", FlvTag.fanOutEncoder());
    this.registry = new StreamRegistry(config.stream().publishRules(), config.stream().gopCache().maxBytes().bytes(),
        config.stream().gopCache().maxFrames(), formats, gate);
    this.auth = new AuthService(vertx, config.auth(), () -> metrics.refused(Refusal.AUTH));
    // Each RTMP connection and each FLV player is one client: the connection limits bound them.
    this.clients = new ClientRegistry(config.rtmp().maxConnections() + config.http().maxConnections()
        + config.rtmpt().maxSessions() + config.srt().maxConnections() + config.rtsp().maxConnections());
    this.relays = new RelayService(vertx, registry, config.relay(), config.player(), metrics,
        (int) config.rtmp().maxMessageSize().bytes(), config.rtsp());
    this.record = new RecordService(vertx, registry, config.record(), eventLoops, metrics.record(),
        config.auth().callback().method());
    this.hlsSessions = new SegmentSessions(new HlsSessions(vertx, config.hlsSessions(), metrics.hlsSessions()),
        new HlsSessions(vertx, config.hlsSessions(), metrics.dashSessions()));
    metrics.sessionPlayers(Protocol.HLS, hlsSessions.hls()::total);
    metrics.sessionPlayers(Protocol.DASH, hlsSessions.dash()::total);
    this.transcode = new TranscodeService(vertx, registry, config.transcode(), publishes,
        config.rtmp().proxyProtocol() ? "127.0.0.1" : config.rtmp().host(), this::localRtmpPort, metrics.transcode());
    auth.reserve(transcode);
    this.exec = new ExecService(vertx, config.exec(), key -> transcode.sourceOf(key).isPresent(), registry::isLive,
        metrics.exec());
    auth.listen(exec);
    registry.upstream(exec.pulls());
    record.onCompleted(exec::recordDone);
    this.thumbnails = new ThumbnailService(vertx, registry, config.thumbnail(), config.transcode().ffmpeg(),
        metrics.thumbnails());
    this.api = new Api(config.api(), registry, clients, relays, directory, record, transcode, hlsSessions, metrics,
        exec, thumbnails);
    this.dashboard = new Dashboard(vertx, config.ui(), api, () -> board == null ? List.of() : board.nodes());
    VodLibrary vod = new VodLibrary(config.vod());
    metrics.vodPlays(vod::sessions);
    this.rtmp = new RtmpServer(vertx, config.rtmp(), config.player(), registry, rtmpChunks, publishes, metrics, auth,
        clients, vod);
    this.rtmpt = new RtmptSessions(vertx, config.rtmpt(), rtmp, metrics);
    this.listeners = new MoreListeners(
        new SrtServer(config.srt(), registry, publishes, auth, clients, metrics, config.player()),
        new RtspServer(config.rtsp(), registry, publishes, auth, clients, metrics, config.player()));
    this.hls = new HlsService(vertx, registry, config.hls(), eventLoops, metrics.hls());
    // LL-HLS playlists of a ladder report their siblings (EXT-X-RENDITION-REPORT); the ladder is transcode's.
    hls.ladder(transcode::siblings);
    this.httpTimeouts = new HttpDeadlines.Timeouts(config.http().headerTimeout(), config.http().bodyTimeout(),
        config.http().idleTimeout());
    this.httpGate = new HttpConnectionGate("http.max-connections", config.http().maxConnections(),
        config.http().maxConnectionsPerAddress(), httpTimeouts, metrics);
    metrics.liveStreams(registry::liveCount);
  }

  /** Starts a node: a member of a cluster when {@code cluster.enabled}, else a single node. */
  public static Future<Node> start(StreamedgeConfig config) {
    int eventLoops = config.node().eventLoopCount();
    // Native epoll (or io_uring) where Netty has it (Linux x86_64 and aarch64): fewer copies and no JDK
    // selector locking per write; NIO elsewhere.
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(eventLoops);
    Transport transport = Transports.of(config.node().transport());
    Throwable transportUnavailable = Transports.unavailable(config.node().transport());
    if (transportUnavailable != null) {
      LOG.warn("node.transport={} cannot run here, NIO instead: {}", config.node().transport(),
          transportUnavailable.toString());
    }
    // Loads BoringSSL's native library here, on the caller's thread, not in a listener's start on an event loop;
    // only when a TLS listener will use it: loading it (and the JDK's TLS classes its probe brings) cost an
    // idle node without TLS 9 to 12 MB of RSS (bench/RESULTS.md, "An idle node's memory").
    if (config.rtmp().rtmps().enabled() && config.rtmp().rtmps().preferOpenSsl()
        || config.http().tls().enabled() && config.http().tls().preferOpenSsl()) {
      TlsEngines.openSslAvailable();
    }
    Metrics metrics = config.metrics().enabled() ? Metrics.prometheus() : Metrics.disabled();
    if (!config.cluster().enabled()) {
      Vertx vertx = metrics.vertxBuilder(options).withTransport(transport).build();
      return startOn(vertx, new Node(vertx, config, eventLoops, PublishGate.LOCAL, Optional.empty(), metrics,
          Health.single()),
          Future.succeededFuture());
    }
    options.setEventBusOptions(ClusterConfigFactory.eventBusOptions(config.cluster().eventbus()));
    HazelcastClusterManager manager = new HazelcastClusterManager(ClusterConfigFactory.create(config.cluster()));
    return metrics.vertxBuilder(options).withTransport(transport).withClusterManager(manager).buildClustered().compose(vertx -> {
      StreamDirectory directory = new StreamDirectory(vertx, manager, config.stream().publishPolicy());
      HazelcastInstance hazelcast = manager.getHazelcastInstance();
      hazelcast.getCluster().addMembershipListener(new MembershipLog(directory.nodeId()));
      metrics.clusterMembers(() -> hazelcast.getCluster().getMembers().size());
      Health health = Health.clustered(() -> manager.isActive() && hazelcast.getLifecycleService().isRunning());
      Node node = new Node(vertx, config, eventLoops, directory, Optional.of(directory), metrics, health);
      // The link first: it decides where streams not published here come from, and listens to the
      // directory from its first event.
      Future<Void> linked = vertx.deployVerticle(
              new MediaLinkVerticle(node.registry, directory, config.cluster(), metrics))
          .compose(id -> directory.start(node.registry))
          .onSuccess(v -> {
            node.board = new NodeBoard(vertx, manager);
            node.board.start(node::summary);
          });
      return startOn(vertx, node, linked);
    });
  }

  private static Future<Node> startOn(Vertx vertx, Node node, Future<Void> ready) {
    return ready.compose(v -> node.deploy())
        .map(v -> node)
        .recover(e -> {
          // Failed now, not after the close: once Vert.x is closed its event loops run no listener,
          // and the caller (Main, which exits 1) would never hear of the failure.
          LOG.error("start failed: {}", e.toString(), e);
          vertx.close();
          return Future.failedFuture(e);
        });
  }

  private Future<Void> deploy() {
    DeploymentOptions perEventLoop =
        new DeploymentOptions().setInstances(eventLoops).setThreadingModel(ThreadingModel.EVENT_LOOP);
    return vertx.deployVerticle(() -> {
      RtmpServerVerticle verticle = new RtmpServerVerticle(rtmp);
      rtmpVerticles.add(verticle);
      return verticle;
    }, perEventLoop).compose(id -> vertx.deployVerticle(() -> {
      HttpServerVerticle verticle = new HttpServerVerticle(config, registry, flvTags, hls, auth, httpGate, metrics,
          health, clients, api, rtmpt, transcode, hlsSessions, dashboard);
      httpVerticles.add(verticle);
      return verticle;
    }, perEventLoop))
        .compose(id -> deployOps())
        .compose(v -> listeners.deploy(vertx, perEventLoop))
        .onSuccess(v -> {
          rtmpt.start();
          relays.startPulls();
          exec.startStatic();
          // Sums up each kind of line that was held back, once its second is over.
          vertx.setPeriodic(1000, id -> RateLimitedLog.flush());
          health.listening();
          LOG.info(ListeningLine.of(this, config, Transports.name(vertx), eventLoops));
        });
  }

  /** What this node says of itself on the cluster's node board: role, load, streams published and pulled, players. */
  private Future<JsonObject> summary() {
    Future<JsonObject> load = vertx.executeBlocking(NodeLoad::now, false);
    return Future.all(registry.infos(), load).map(all -> {
      JsonArray published = new JsonArray();
      JsonArray pulled = new JsonArray();
      int players = hlsSessions.total();
      for (StreamInfo info : all.<List<StreamInfo>>resultAt(0)) {
        if (info.publisher() != null) {
          (info.relayed() ? pulled : published).add(info.key().toString());
        }
        players += info.viewers().values().stream().mapToInt(Integer::intValue).sum();
      }
      return new JsonObject().put("role", config.cluster().role().configName()).put("load", all.<JsonObject>resultAt(1))
          .put("published", published).put("pulls", pulled).put("players", players);
    });
  }

  /** The listener of {@code metrics.port}, when it is not 0. */
  private Future<Void> deployOps() {
    if (!config.metrics().ownPort()) {
      return Future.succeededFuture();
    }
    // Its own connection limit, no per-address one: probes and scrapes come from few addresses.
    HttpConnectionGate gate =
        new HttpConnectionGate("metrics.max-connections", config.metrics().maxConnections(), 0, httpTimeouts, metrics);
    OpsServerVerticle verticle =
        new OpsServerVerticle(config.http().host(), config.metrics().port(), metrics, health, gate);
    return vertx.deployVerticle(verticle).onSuccess(id -> ops = verticle).mapEmpty();
  }

  /** The UDP port of the SRT listener, or -1 when {@code srt.enabled} is false. */
  public int srtPort() {
    return listeners.srtPort();
  }

  /** The TCP port of the RTSPS listener, or -1 when RTSP is off or {@code rtsp.tls.cert} is not set. */
  public int rtspsPort() {
    return listeners.rtspsPort();
  }

  /** The TCP port of the RTSP listener, or -1 when {@code rtsp.enabled} is false. */
  public int rtspPort() {
    return listeners.rtspPort();
  }

  public int rtmpPort() {
    return rtmpVerticles.peek().rtmpPort();
  }

  public int rtmpsPort() {
    return rtmpVerticles.peek().rtmpsPort();
  }

  /** Where the node's own programs publish over RTMP: rtmp.local-port with rtmp.proxy-protocol on, else the RTMP port. */
  public int localRtmpPort() {
    return rtmpVerticles.peek().localRtmpPort();
  }

  /** RTMP and RTMPS connections open now, as counted against {@code rtmp.max-connections}. */
  public int rtmpConnections() {
    return rtmp.connections();
  }

  /** HTTP connections open now, as counted against {@code http.max-connections}. */
  public int httpConnections() {
    return httpGate.open();
  }

  /** Bytes that partly received RTMP messages hold on the node's account, bounded by {@code rtmp.max-incomplete-bytes}. */
  public long rtmpIncompleteBytes() {
    return rtmp.incompleteBytes();
  }

  /** The HTTPS (and RTMPTS) port actually bound, or -1 when {@code http.tls} is off. */
  public int httpsPort() {
    return httpVerticles.peek().tlsPort();
  }

  /** The ports of the {@code rtmpt.ports} listeners actually bound; empty when there are none. */
  public List<Integer> rtmptPorts() {
    return httpVerticles.peek().rtmptPorts();
  }

  /** RTMPT sessions open now, as counted against {@code rtmpt.max-sessions}. */
  public int rtmptSessions() {
    return rtmpt.open();
  }

  public int httpPort() {
    return httpVerticles.peek().actualPort();
  }

  /** The port of the metrics and health listener, or -1 when {@code metrics.port} is 0. */
  public int metricsPort() {
    return ops == null ? -1 : ops.actualPort();
  }

  /**
   * Stops taking new clients: readiness turns false at once, so that Kubernetes and load balancers
   * send no more. The first step of a graceful shutdown. Any thread.
   */
  public void startDraining() {
    if (!health.draining()) {
      LOG.info("draining: readiness is false from now on");
    }
    health.startDraining();
  }

  public boolean draining() {
    return health.draining();
  }

  public Vertx vertx() {
    return vertx;
  }

  public StreamRegistry registry() {
    return registry;
  }

  /** Who may publish and play; counts the refusals. */
  public AuthService auth() {
    return auth;
  }

  /**
   * Shuts down gracefully within {@code shutdown.drain-time}: readiness false at once, no new
   * connection or media request, RTMP players told UnpublishNotify and let go, FLV responses ended,
   * publishers asked to reconnect where the client supports it and kept until they leave or the drain
   * time is up; then everything closes. Completes when Vert.x is closed.
   */
  public Future<Void> shutdown() {
    long started = System.nanoTime();
    Duration drainTime = config.shutdown().drainTime();
    startDraining();
    LOG.info("shutdown: draining for at most {} ms", drainTime.toMillis());
    httpVerticles.forEach(HttpServerVerticle::shutdown);
    List<Future<Void>> rtmpDrained = new ArrayList<>(
        rtmpVerticles.stream().map(v -> v.shutdown(drainTime)).toList());
    rtmpDrained.add(rtmpt.drain(drainTime));
    return Future.join(rtmpDrained)
        .transform(drained -> close())
        .onComplete(closed -> LOG.info("shutdown: done in {} ms", (System.nanoTime() - started) / 1_000_000));
  }

  public Future<Void> close() {
    transcode.close();
    return Future.join(hls.close(), exec.close(), thumbnails.close()).transform(joined -> vertx.close());
  }
}
