package dev.streamedge.config;

/**
 * The node's threads.
 *
 * @param eventLoops event-loop threads, or 0 for one per core the JVM may use (its cgroup's CPU limit
 *     in a container)
 */
public record NodeConfig(int eventLoops) {

  /** The number of event loops to start. */
  public int eventLoopCount() {
    return eventLoops == 0 ? Runtime.getRuntime().availableProcessors() : eventLoops;
  }
}
