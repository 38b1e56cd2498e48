package dev.streamedge.srt.server;

import dev.streamedge.auth.AuthService;
import dev.streamedge.config.PlayerConfig;
import dev.streamedge.config.SrtConfig;
import dev.streamedge.metrics.Metrics;
import dev.streamedge.session.ClientRegistry;
import dev.streamedge.stream.StreamRegistry;

/**
 * What the SRT listener's connections share: its configuration and the node's services they publish and
 * play through.
 *
 * @param config the {@code srt} section
 * @param registry where publishes claim their streams and players subscribe
 * @param acceptsPublishers false on a cluster edge node: publishers belong on origin nodes
 * @param auth who may publish and play
 * @param clients where each connection registers, for the API
 * @param metrics the node's meters
 * @param player the players' queue limits ({@code player.*}), as for every other protocol's players
 */
public record SrtServer(SrtConfig config, StreamRegistry registry, boolean acceptsPublishers, AuthService auth,
    ClientRegistry clients, Metrics metrics, PlayerConfig player) {
}
