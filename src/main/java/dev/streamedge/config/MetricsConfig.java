package dev.streamedge.config;

/**
 * Prometheus metrics, and the operations listener that serves them with the health probes.
 *
 * @param enabled whether meters are collected and {@code /metrics} is served
 * @param port the port of a separate listener for {@code /metrics} and {@code /health/*}, or 0 to
 *     serve {@code /metrics} on the HTTP listener
 * @param maxConnections the most connections the listener of {@code port} holds at once
 */
public record MetricsConfig(boolean enabled, int port, int maxConnections) {

  /** Whether {@code /metrics} has a listener of its own rather than the HTTP port. */
  public boolean ownPort() {
    return port != 0;
  }
}
