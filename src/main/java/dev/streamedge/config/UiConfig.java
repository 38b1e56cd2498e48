package dev.streamedge.config;

import java.time.Duration;

/**
 * The web dashboard at {@code /} and {@code /ui/}, and its live feed.
 *
 * @param enabled whether the dashboard is served (it also needs {@code api.enabled})
 * @param maxSubscribers the most dashboards fed at once, over all clients; further ones get 503
 * @param pushInterval how often the node pushes a snapshot to every open dashboard
 * @param maxStreams the most streams a snapshot holds, those with the most viewers first
 * @param maxClients the most clients a snapshot holds, publishers first
 */
public record UiConfig(boolean enabled, int maxSubscribers, Duration pushInterval, int maxStreams, int maxClients) {
}
