package dev.streamedge.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.streamedge.config.ClusterConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;

/**
 * Turns the {@code cluster.*} keys into the Hazelcast member configuration and the event bus options, so
 * operators configure one server rather than a server and a Hazelcast XML file.
 */
public final class ClusterConfigFactory {

  /** Nodes of other products on the network that happen to run Hazelcast never join ours. */
  static final String CLUSTER_NAME = "streamedge";

  private ClusterConfigFactory() {
  }

  public static Config create(ClusterConfig cluster) {
    // Vert.x's own file, not a bare Config: it declares the maps the clustered event bus relies on.
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(CLUSTER_NAME);
    config.setProperty("hazelcast.logging.type", "slf4j");
    // Hazelcast would otherwise report usage to its vendor on start.
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // Node.close leaves the cluster in order; Hazelcast's own hook would race it at JVM exit.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // A dead node must leave the stream directory in seconds; Hazelcast's default is a minute.
    config.setProperty("hazelcast.heartbeat.interval.seconds", Long.toString(cluster.heartbeat().toSeconds()));
    config.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(cluster.maxNoHeartbeat().toSeconds()));
    // A node that was taken for dead (hung, or cut off) and comes back looks for its cluster to merge
    // into after these delays; Hazelcast's defaults (5 and 2 minutes) would keep it apart that long.
    String mergeDelay = Long.toString(cluster.maxNoHeartbeat().toSeconds());
    config.setProperty("hazelcast.merge.first.run.delay.seconds", mergeDelay);
    config.setProperty("hazelcast.merge.next.run.delay.seconds", mergeDelay);

    NetworkConfig network = config.getNetworkConfig();
    // The port is the one other nodes list; counting up from it would hide a clash.
    network.setPort(cluster.port()).setPortAutoIncrement(false);
    if (!cluster.host().isEmpty()) {
      network.getInterfaces().setEnabled(true).addInterface(cluster.host());
      config.setProperty("hazelcast.socket.bind.any", "false");
    }

    JoinConfig join = network.getJoin();
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(cluster.multicast());
    // Hazelcast's TCP join asks the listed members for a master for this long before the member with
    // the lowest address claims the role: the time a cluster whose members start together takes to form.
    join.getTcpIpConfig().setEnabled(!cluster.memberList().isEmpty()).setMembers(cluster.memberList())
        .setConnectionTimeoutSeconds((int) cluster.joinTimeout().toSeconds());
    String serviceDns = cluster.kubernetes().serviceDns();
    if (!serviceDns.isEmpty()) {
      join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", serviceDns);
    }
    return config;
  }

  /** Empty host and zero ports keep Vert.x's choice: the cluster member's address, any free port. */
  public static EventBusOptions eventBusOptions(ClusterConfig.EventBus eventbus) {
    EventBusOptions options = new EventBusOptions().setPort(eventbus.port());
    if (!eventbus.host().isEmpty()) {
      options.setHost(eventbus.host());
    }
    if (!eventbus.publicHost().isEmpty()) {
      options.setClusterPublicHost(eventbus.publicHost());
    }
    if (eventbus.publicPort() != 0) {
      options.setClusterPublicPort(eventbus.publicPort());
    }
    return options;
  }
}
