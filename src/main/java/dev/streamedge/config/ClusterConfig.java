package dev.streamedge.config;

import dev.streamedge.cluster.ClusterRole;
import java.time.Duration;
import java.util.List;

/**
 * Clustering: whether this node joins other nodes, how it finds them (exactly one of {@code members},
 * {@code multicast} and {@code kubernetes} when enabled, as {@link ConfigLoader} checks), and how soon a
 * dead node is noticed.
 *
 * @param host interface the cluster member binds to and announces; empty lets Hazelcast pick
 * @param port the cluster member's TCP port
 * @param members other members to join by TCP, {@code host:port} separated by commas; empty for none
 * @param multicast whether to join by multicast
 * @param heartbeat how often members send heartbeats
 * @param maxNoHeartbeat how long a member may stay silent before it is considered dead
 * @param joinTimeout how long a starting node asks the listed members for a master before it claims the
 *     role; when every member starts at once, the cluster forms only after it
 * @param role whether this node takes publishers, pulls streams for its viewers, or both
 * @param pullLinger how long an edge keeps pulling a stream after its last local viewer left
 * @param linkWindow bytes of one stream an origin sends one edge ahead of its acknowledgements
 */
public record ClusterConfig(boolean enabled, String host, int port, String members, boolean multicast,
    Kubernetes kubernetes, EventBus eventbus, Duration heartbeat, Duration maxNoHeartbeat,
    Duration joinTimeout, ClusterRole role, Duration pullLinger, ByteSize linkWindow) {

  /** The members to join by TCP, empty when another join method is used. */
  public List<String> memberList() {
    return members.isEmpty() ? List.of() : List.of(members.split(","));
  }

  /**
   * Joining a cluster in Kubernetes by DNS lookup of a headless Service, which needs no API access.
   *
   * @param serviceDns DNS name of the headless Service selecting the nodes; empty when not used
   */
  public record Kubernetes(String serviceDns) {
  }

  /**
   * The clustered event bus, a direct TCP connection between nodes. Behind NAT or in Kubernetes the
   * address others must use differs from the one bound, hence the public pair.
   *
   * @param host address to bind; empty uses the cluster member's address
   * @param port port to bind; 0 picks a free one
   * @param publicHost address announced to other nodes; empty announces {@code host}
   * @param publicPort port announced to other nodes; 0 announces the bound port
   */
  public record EventBus(String host, int port, String publicHost, int publicPort) {
  }
}
