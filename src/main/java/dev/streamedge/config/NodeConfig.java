package dev.streamedge.config;

/**
 * The node's threads and network transport.
 *
 * @param eventLoops event-loop threads, or 0 for one per core the JVM may use (its cgroup's CPU limit
 *     in a container)
 * @param transport {@code epoll}, {@code io_uring} (each Linux only, NIO where it cannot load) or {@code nio}
 */
public record NodeConfig(int eventLoops, String transport) {

  /** The number of event loops to start. */
  public int eventLoopCount() {
    return eventLoops == 0 ? Runtime.getRuntime().availableProcessors() : eventLoops;
  }
}
