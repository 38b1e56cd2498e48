package dev.streamedge.config;

import java.time.Duration;

/**
 * How HLS viewers are counted: as sessions, one per player, though HLS has no connection to count.
 *
 * @param enabled whether HLS viewers are counted at all
 * @param max the most sessions held at once; past it new players are not counted (and the miss is)
 * @param timeout a session ends when its player made no request for this long
 */
public record HlsSessionsConfig(boolean enabled, int max, Duration timeout) {
}
