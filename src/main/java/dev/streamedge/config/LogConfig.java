package dev.streamedge.config;

/**
 * The node's log.
 *
 * @param maxLinesPerSecond the most lines of one kind (connect, disconnect, refused...) written per
 *     second; the rest are counted in one summary line per kind and second
 */
public record LogConfig(int maxLinesPerSecond) {
}
