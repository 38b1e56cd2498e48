package dev.streamedge.cluster.link;

import dev.streamedge.cluster.StreamDirectory;
import dev.streamedge.config.ClusterConfig;
import dev.streamedge.metrics.Metrics;
import dev.streamedge.stream.StreamRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * The media link between nodes: this node as origin of the streams published here, and as edge of
 * the streams its viewers want from other nodes, both on this verticle's context. Deployed once per
 * clustered node, before the protocol verticles, since it decides where streams not published here
 * come from.
 */
public final class MediaLinkVerticle extends VerticleBase {

  private final StreamRegistry registry;
  private final StreamDirectory directory;
  private final ClusterConfig config;
  private final Metrics metrics;

  public MediaLinkVerticle(StreamRegistry registry, StreamDirectory directory, ClusterConfig config,
      Metrics metrics) {
    this.registry = registry;
    this.directory = directory;
    this.config = config;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().registerDefaultCodec(MediaFrame.class, new MediaFrameCodec());
    long window = config.linkWindow().bytes();
    OriginLinks origin = new OriginLinks(context, vertx.eventBus(), registry, directory.nodeId(), window);
    if (!config.role().pulls()) {
      directory.onMemberLeft(origin::edgeLeft);
      return origin.start();
    }
    EdgePulls edge = new EdgePulls(vertx, context, registry, directory, config.pullLinger(), window, metrics);
    directory.onOriginChange(edge::originChanged);
    directory.onMemberLeft(node -> {
      origin.edgeLeft(node);
      edge.memberLeft(node);
    });
    registry.upstream(edge);
    return Future.all(origin.start(), edge.start());
  }
}
