package dev.streamedge.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import dev.streamedge.config.ConfigLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ClusterConfigFactoryTest {

  @Test
  void membersJoinByTcpOnTheirOwnPortAndInterfaceOnly() {
    Config config = create("--cluster.members=127.0.0.1:5801,127.0.0.1:5802", "--cluster.port=5801",
        "--cluster.host=127.0.0.1");

    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1:5801", "127.0.0.1:5802");
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5801);
    assertThat(config.getNetworkConfig().isPortAutoIncrement()).isFalse();
    assertThat(config.getNetworkConfig().getInterfaces().isEnabled()).isTrue();
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
    assertThat(config.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
    assertThat(join.getTcpIpConfig().getConnectionTimeoutSeconds()).as("Hazelcast's default").isEqualTo(5);
  }

  @Test
  void theJoinTimeoutIsHowLongTheTcpJoinAsksForAMaster() {
    JoinConfig join = create("--cluster.members=127.0.0.1:5801,127.0.0.1:5802", "--cluster.join-timeout=1s")
        .getNetworkConfig().getJoin();
    assertThat(join.getTcpIpConfig().getConnectionTimeoutSeconds()).isEqualTo(1);
  }

  @Test
  void multicastAndKubernetesDnsAreTheOtherJoins() {
    JoinConfig multicast = create("--cluster.multicast=true").getNetworkConfig().getJoin();
    assertThat(multicast.getMulticastConfig().isEnabled()).isTrue();
    assertThat(multicast.getTcpIpConfig().isEnabled()).isFalse();

    Config kubernetes = create("--cluster.kubernetes.service-dns=streamedge.default.svc.cluster.local");
    JoinConfig join = kubernetes.getNetworkConfig().getJoin();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns")).isEqualTo("streamedge.default.svc.cluster.local");
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    // Without cluster.host Hazelcast picks the interface, as a pod with one address wants.
    assertThat(kubernetes.getNetworkConfig().getInterfaces().isEnabled()).isFalse();
  }

  @Test
  void failureDetectionMergeDelaysLoggingAndVertxMapsComeWithTheConfig() {
    Config config = create("--cluster.multicast=true", "--cluster.heartbeat=2s", "--cluster.max-no-heartbeat=7s");

    assertThat(config.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("2");
    assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("7");
    assertThat(config.getProperty("hazelcast.merge.first.run.delay.seconds")).isEqualTo("7");
    assertThat(config.getProperty("hazelcast.merge.next.run.delay.seconds")).isEqualTo("7");
    assertThat(config.getProperty("hazelcast.logging.type")).isEqualTo("slf4j");
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(config.getClusterName()).isEqualTo("streamedge");
    assertThat(config.getMultiMapConfigs()).containsKey("__vertx.subs");
    assertThat(config.getMapConfigs()).containsKeys("__vertx.haInfo", "__vertx.nodeInfo");
  }

  private static Config create(String... options) {
    String[] args = new String[options.length + 1];
    args[0] = "--cluster";
    System.arraycopy(options, 0, args, 1, options.length);
    return ClusterConfigFactory.create(ConfigLoader.load(args, Map.of(), Path.of("absent.yaml"),
        new PrintWriter(new StringWriter())).orElseThrow().cluster());
  }
}
