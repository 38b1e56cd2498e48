package dev.streamedge.rtsp.server;

import dev.streamedge.auth.AuthService;
import dev.streamedge.config.PlayerConfig;
import dev.streamedge.config.RtspConfig;
import dev.streamedge.metrics.Metrics;
import dev.streamedge.session.ClientRegistry;
import dev.streamedge.stream.StreamRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the RTSP listener's connections share: its configuration, the node's services they play and publish through, and
 * the count of open connections that {@code rtsp.max-connections} bounds across the listener's event loops.
 *
 * @param config the {@code rtsp} section
 * @param registry where players subscribe and publishers claim their streams
 * @param acceptsPublishers false on a cluster edge node: publishers belong on origin nodes
 * @param auth who may play and publish
 * @param clients where each player registers, for the API
 * @param metrics the node's meters
 * @param player the players' queue limits ({@code player.*}), as for every other protocol's players
 * @param open the connections open now
 */
public record RtspServer(RtspConfig config, StreamRegistry registry, boolean acceptsPublishers, AuthService auth,
    ClientRegistry clients, Metrics metrics, PlayerConfig player, AtomicInteger open) {

  public RtspServer(RtspConfig config, StreamRegistry registry, boolean acceptsPublishers, AuthService auth,
      ClientRegistry clients, Metrics metrics, PlayerConfig player) {
    this(config, registry, acceptsPublishers, auth, clients, metrics, player, new AtomicInteger());
    metrics.rtspConnections(open::get);
  }
}
