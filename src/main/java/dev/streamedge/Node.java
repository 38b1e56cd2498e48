package dev.streamedge;

import dev.streamedge.config.StreamedgeConfig;
import dev.streamedge.flv.FlvTag;
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
  private final Queue<RtmpServerVerticle> rtmpVerticles = new ConcurrentLinkedQueue<>();

  private Node(Vertx vertx, StreamedgeConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.registry = new StreamRegistry(config.stream().publishPolicy(), config.stream().gopCache().maxBytes().bytes(),
        config.stream().gopCache().maxFrames(), RtmpServer.fanOutEncoder(config.rtmp().chunkSize()),
        FlvTag.fanOutEncoder());
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
    return vertx.deployVerticle(() -> {
      RtmpServerVerticle verticle = new RtmpServerVerticle(rtmp);
      rtmpVerticles.add(verticle);
      return verticle;
    }, new DeploymentOptions().setInstances(instances).setThreadingModel(ThreadingModel.EVENT_LOOP))
        .<Void>mapEmpty()
        .onSuccess(v -> LOG.info("rtmp listening on {}:{}{}", config.rtmp().host(), rtmpPort(),
            rtmpsPort() < 0 ? "" : ", rtmps on " + rtmpsPort()));
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
