package dev.streamedge.cluster;

import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.NodeProcess;
import java.time.Duration;
import java.util.List;

/**
 * Three nodes in three JVMs on loopback, joined: node 1 with the origin role, node 2 with both roles, node 3 with the
 * edge role; 1 s HLS segments and a 2 s pull linger. The cluster of {@link ClusterEdgeTest} and {@link
 * ClusterEdgeLatencyTest}.
 */
record EdgeCluster(NodeProcess origin, NodeProcess edge2, NodeProcess edge3) {

  private static final Duration JOIN = Duration.ofSeconds(60);

  /** Starts the three nodes, owned by {@code owner}, named {@code prefix-node1} to {@code -node3}. */
  static EdgeCluster start(ChildProcesses owner, String prefix) throws Exception {
    List<Integer> ports = NodeProcess.memberPorts(3);
    String linger = "--cluster.pull-linger=2s";
    String segments = "--hls.target-duration=1s";
    EdgeCluster cluster = new EdgeCluster(
        owner.own(NodeProcess.cluster(prefix + "-node1", ports.get(0), ports, linger, segments,
            "--cluster.role=origin")),
        owner.own(NodeProcess.cluster(prefix + "-node2", ports.get(1), ports, linger, segments)),
        owner.own(NodeProcess.cluster(prefix + "-node3", ports.get(2), ports, linger, segments,
            "--cluster.role=edge")));
    for (NodeProcess node : List.of(cluster.origin, cluster.edge2, cluster.edge3)) {
      node.awaitCluster(3, JOIN);
    }
    return cluster;
  }
}
