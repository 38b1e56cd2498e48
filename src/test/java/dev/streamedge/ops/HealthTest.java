package dev.streamedge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.FreePorts;
import dev.streamedge.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code /health/live} and {@code /health/ready} as a Kubernetes probe sees them: the status code
 * decides, the JSON body says why.
 */
@Tag("e2e")
class HealthTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void liveAndReadyAnswer200WithJsonOnAStartedNode() throws Exception {
    try (TestNode node = TestNode.start()) {
      HttpResponse<String> live = get(node.httpUrl("/health/live"));
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(live.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(new JsonObject(live.body()).getString("status")).isEqualTo("UP");

      HttpResponse<String> ready = get(node.httpUrl("/health/ready"));
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(ready.body())).isEqualTo(new JsonObject()
          .put("status", "UP")
          .put("checks", new JsonObject().put("listening", true).put("draining", false)));
    }
  }

  @Test
  void readyTurns503AsSoonAsTheNodeDrainsWhileLiveStays200() throws Exception {
    try (TestNode node = TestNode.start()) {
      assertThat(get(node.httpUrl("/health/ready")).statusCode()).isEqualTo(200);

      node.node().startDraining();

      HttpResponse<String> ready = get(node.httpUrl("/health/ready"));
      assertThat(ready.statusCode()).isEqualTo(503);
      JsonObject body = new JsonObject(ready.body());
      assertThat(body.getString("status")).isEqualTo("DOWN");
      assertThat(body.getJsonObject("checks").getBoolean("draining")).isTrue();
      assertThat(body.getJsonObject("checks").getBoolean("listening")).isTrue();
      assertThat(get(node.httpUrl("/health/live")).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void theMetricsPortAnswersTheProbesToo() throws Exception {
    try (TestNode node = TestNode.startWithMetricsPort()) {
      int metricsPort = node.node().metricsPort();
      assertThat(get("http://127.0.0.1:" + metricsPort + "/health/live").statusCode()).isEqualTo(200);
      assertThat(get("http://127.0.0.1:" + metricsPort + "/health/ready").statusCode()).isEqualTo(200);
      node.node().startDraining();
      assertThat(get("http://127.0.0.1:" + metricsPort + "/health/ready").statusCode()).isEqualTo(503);
      assertThat(get(node.httpUrl("/health/ready")).statusCode()).isEqualTo(503);
    }
  }

  @Test
  void aClusterMemberIsReadyWhileItsClusterRunsAndNotOnceItStops() throws Exception {
    int memberPort = FreePorts.next();
    TestNode node = TestNode.start("--cluster", "--cluster.host=127.0.0.1", "--cluster.port=" + memberPort,
        "--cluster.members=127.0.0.1:" + memberPort, "--cluster.eventbus.host=127.0.0.1");
    try {
      HttpResponse<String> ready = get(node.httpUrl("/health/ready"));
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(ready.body()).getJsonObject("checks").getBoolean("cluster")).isTrue();
      assertThat(node.scrape().value("streamedge_cluster_members")).isEqualTo(1);
      assertThat(node.scrape().value("streamedge_edge_pulls")).isZero();

      // What a node sees when its cluster member dies under it (Hazelcast shut down by an error).
      HazelcastInstance member = Hazelcast.getAllHazelcastInstances().stream()
          .filter(instance -> instance.getCluster().getLocalMember().getAddress().getPort() == memberPort)
          .findFirst().orElseThrow();
      member.getLifecycleService().terminate();

      Await.until("readiness 503", Duration.ofSeconds(10), () -> get(node.httpUrl("/health/ready")).statusCode() == 503);
      JsonObject checks = new JsonObject(get(node.httpUrl("/health/ready")).body()).getJsonObject("checks");
      assertThat(checks.getBoolean("cluster")).isFalse();
      assertThat(checks.getBoolean("listening")).isTrue();
      assertThat(get(node.httpUrl("/health/live")).statusCode()).isEqualTo(200);
    } finally {
      // Vert.x logs that leaving the cluster failed: the member is gone already.
      node.close();
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
