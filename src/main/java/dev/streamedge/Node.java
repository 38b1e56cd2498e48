package dev.streamedge;

import dev.streamedge.config.StreamedgeConfig;
import dev.streamedge.flv.FlvTag;
import dev.streamedge.hls.HlsService;
import dev.streamedge.http.HttpServerVerticle;
import dev.streamedge.rtmp.server.RtmpServer;
import dev.streamedge.rtmp.server.RtmpServerVerticle;
import dev.streamedge.stream.StreamRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
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
  private final RtmpServer rtmp;
  private final HlsService hls;
  private final Queue<RtmpServerVerticle> rtmpVerticles = new ConcurrentLinkedQueue<>();
  private final Queue<HttpServerVerticle> httpVerticles = new ConcurrentLinkedQueue<>();
  private final int eventLoops;
  private final AtomicInteger httpConnections = new AtomicInteger();

  private Node(Vertx vertx, StreamedgeConfig config, int eventLoops) {
    this.vertx = vertx;
    this.config = config;
    this.eventLoops = eventLoops;
    this.registry = new StreamRegistry(config.stream().publishPolicy(), config.stream().gopCache().maxBytes().bytes(),
        config.stream().gopCache().maxFrames(), RtmpServer.fanOutEncoder(config.rtmp().chunkSize()),
        FlvTag.fanOutEncoder());
    this.rtmp = new RtmpServer(vertx, config.rtmp(), config.player(), registry);
    this.hls = new HlsService(vertx, registry, config.hls(), eventLoops);
  }

  /** Starts a single (not clustered) node. */
  public static Future<Node> start(StreamedgeConfig config) {
    int eventLoops = Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(eventLoops)).build();
    Node node = new Node(vertx, config, eventLoops);
    return node.deploy()
        .map(v -> node)
        .recover(e -> vertx.close().transform(ignored -> Future.failedFuture(e)));
  }

  private Future<Void> deploy() {
    DeploymentOptions perEventLoop =
        new DeploymentOptions().setInstances(eventLoops).setThreadingModel(ThreadingModel.EVENT_LOOP);
    return vertx.deployVerticle(() -> {
      RtmpServerVerticle verticle = new RtmpServerVerticle(rtmp);
      rtmpVerticles.add(verticle);
      return verticle;
    }, perEventLoop).compose(id -> vertx.deployVerticle(() -> {
      HttpServerVerticle verticle = new HttpServerVerticle(config, registry, hls, httpConnections);
      httpVerticles.add(verticle);
      return verticle;
    }, perEventLoop))
        .<Void>mapEmpty()
        .onSuccess(v -> LOG.info("listening: rtmp {}:{}{}, http {}:{}", config.rtmp().host(), rtmpPort(),
            rtmpsPort() < 0 ? "" : ", rtmps " + rtmpsPort(), config.http().host(), httpPort()));
  }

  public int rtmpPort() {
    return rtmpVerticles.peek().rtmpPort();
  }

  public int rtmpsPort() {
    return rtmpVerticles.peek().rtmpsPort();
  }

  /** RTMP and RTMPS connections open now, as counted against {@code rtmp.max-connections}. */
  public int rtmpConnections() {
    return rtmp.connections();
  }

  public int httpPort() {
    return httpVerticles.peek().actualPort();
  }

  public Vertx vertx() {
    return vertx;
  }

  public StreamRegistry registry() {
    return registry;
  }

  public Future<Void> close() {
    return vertx.close();
  }
}
