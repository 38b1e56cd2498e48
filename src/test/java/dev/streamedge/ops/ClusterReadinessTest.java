package dev.streamedge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.FreePorts;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code /health/ready} of a cluster member also says whether its Hazelcast member runs. */
@Tag("cluster")
class ClusterReadinessTest {

  @Test
  void aClusterMemberIsReadyWhileItsClusterRunsAndNotOnceItStops() throws Exception {
    int memberPort = FreePorts.next();
    TestNode node = TestNode.start("--cluster", "--cluster.host=127.0.0.1", "--cluster.port=" + memberPort,
        "--cluster.members=127.0.0.1:" + memberPort, "--cluster.eventbus.host=127.0.0.1");
    try {
      HttpResponse<String> ready = Http.get(node.httpUrl("/health/ready"));
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(ready.body()).getJsonObject("checks").getBoolean("cluster")).isTrue();
      assertThat(node.scrape().value("streamedge_cluster_members")).isEqualTo(1);
      assertThat(node.scrape().value("streamedge_edge_pulls")).isZero();

      // What a node sees when its cluster member dies under it (Hazelcast shut down by an error).
      HazelcastInstance member = Hazelcast.getAllHazelcastInstances().stream()
          .filter(instance -> instance.getCluster().getLocalMember().getAddress().getPort() == memberPort)
          .findFirst().orElseThrow();
      member.getLifecycleService().terminate();

      Await.until("readiness 503", Duration.ofSeconds(10), () -> Http.status(node.httpUrl("/health/ready")) == 503);
      JsonObject checks = new JsonObject(Http.get(node.httpUrl("/health/ready")).body()).getJsonObject("checks");
      assertThat(checks.getBoolean("cluster")).isFalse();
      assertThat(checks.getBoolean("listening")).isTrue();
      assertThat(Http.get(node.httpUrl("/health/live")).statusCode()).isEqualTo(200);
    } finally {
      // Vert.x logs that leaving the cluster failed: the member is gone already.
      node.close();
    }
  }
}
