package dev.streamedge.config;

import java.time.Duration;

/**
 * Graceful shutdown on SIGTERM.
 *
 * @param drainTime the most the node waits, after it stopped taking new clients, for its publishers to
 *     leave before it closes every connection
 */
public record ShutdownConfig(Duration drainTime) {
}
