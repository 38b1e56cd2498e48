package dev.streamedge;

import dev.streamedge.config.StreamedgeConfig;
import dev.streamedge.rtmp.server.RtmpServer;
import dev.streamedge.rtmp.server.RtmpServerVerticle;
import dev.streamedge.stream.StreamRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.List;
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
  private final List<RtmpServerVerticle> rtmpVerticles = new ArrayList<>();
  private final List<RtmpServerVerticle> rtmpsVerticles = new ArrayList<>();

  private Node(Vertx vertx, StreamedgeConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.registry = new StreamRegistry(config.stream().publishPolicy(), config.stream().gopCache().maxBytes().bytes(),
        config.stream().gopCache().maxFrames(), RtmpServer.fanOutEncoder(config.rtmp().chunkSize()));
    this.rtmp = new RtmpServer(vertx, config.rtmp(), config.player(), registry);
  }

  /** Starts a single (not clustered) node. */
  public static Future<Node> start(StreamedgeConfig config) {
    int eventLoops = Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(eventLoops)).build();
    Node node = new Node(vertx, config);
    return node.deploy(eventLoops)
        .map(v -> node)
        .recover(e -> vertx.close().transform(ignored -> Future.failedFuture(e)));
  }

  private Future<Void> deploy(int instances) {
    Future<Void> plain = deployRtmp(instances, false, rtmpVerticles);
    if (!config.rtmp().rtmps().enabled()) {
      return plain.onSuccess(v -> LOG.info("rtmp listening on {}:{}", config.rtmp().host(), rtmpPort()));
    }
    return plain.compose(v -> deployRtmp(instances, true, rtmpsVerticles)).onSuccess(v ->
        LOG.info("rtmp listening on {}:{}, rtmps on {}", config.rtmp().host(), rtmpPort(), rtmpsPort()));
  }

  private Future<Void> deployRtmp(int instances, boolean tls, List<RtmpServerVerticle> deployed) {
    return vertx.deployVerticle(() -> {
      RtmpServerVerticle verticle = new RtmpServerVerticle(rtmp, tls);
      synchronized (deployed) {
        deployed.add(verticle);
      }
      return verticle;
    }, new DeploymentOptions().setInstances(instances).setThreadingModel(ThreadingModel.EVENT_LOOP)).mapEmpty();
  }

  public int rtmpPort() {
    return rtmpVerticles.get(0).actualPort();
  }

  public int rtmpsPort() {
    return rtmpsVerticles.isEmpty() ? -1 : rtmpsVerticles.get(0).actualPort();
  }

  /** RTMP and RTMPS connections open now, as counted against {@code rtmp.max-connections}. */
  public int rtmpConnections() {
    return rtmp.connections();
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
