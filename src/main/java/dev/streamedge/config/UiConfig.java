package dev.streamedge.config;

import java.time.Duration;

/**
 * The web dashboard at {@code /} and {@code /ui/}, and its live feed.
 *
 * @param enabled whether the dashboard is served (it also needs {@code api.enabled})
 * @param maxSubscribers the most dashboards fed at once, over all clients; further ones get 503
 * @param pushInterval how often the node pushes a snapshot to every open dashboard
 */
public record UiConfig(boolean enabled, int maxSubscribers, Duration pushInterval) {
}
