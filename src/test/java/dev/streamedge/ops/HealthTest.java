package dev.streamedge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Http;
import dev.streamedge.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code /health/live} and {@code /health/ready} as a Kubernetes probe sees them: the status code
 * decides, the JSON body says why.
 */
@Tag("e2e")
class HealthTest {

  @Test
  void liveAndReadyAnswer200WithJsonOnAStartedNode() throws Exception {
    try (TestNode node = TestNode.start()) {
      HttpResponse<String> live = Http.get(node.httpUrl("/health/live"));
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(live.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(new JsonObject(live.body()).getString("status")).isEqualTo("UP");

      HttpResponse<String> ready = Http.get(node.httpUrl("/health/ready"));
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(ready.body())).isEqualTo(new JsonObject()
          .put("status", "UP")
          .put("checks", new JsonObject().put("listening", true).put("draining", false)));
    }
  }

  @Test
  void readyTurns503AsSoonAsTheNodeDrainsWhileLiveStays200() throws Exception {
    try (TestNode node = TestNode.start()) {
      assertThat(Http.get(node.httpUrl("/health/ready")).statusCode()).isEqualTo(200);

      node.node().startDraining();

      HttpResponse<String> ready = Http.get(node.httpUrl("/health/ready"));
      assertThat(ready.statusCode()).isEqualTo(503);
      JsonObject body = new JsonObject(ready.body());
      assertThat(body.getString("status")).isEqualTo("DOWN");
      assertThat(body.getJsonObject("checks").getBoolean("draining")).isTrue();
      assertThat(body.getJsonObject("checks").getBoolean("listening")).isTrue();
      assertThat(Http.get(node.httpUrl("/health/live")).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void theMetricsPortAnswersTheProbesToo() throws Exception {
    try (TestNode node = TestNode.startWithMetricsPort()) {
      int metricsPort = node.node().metricsPort();
      assertThat(Http.get("http://127.0.0.1:" + metricsPort + "/health/live").statusCode()).isEqualTo(200);
      assertThat(Http.get("http://127.0.0.1:" + metricsPort + "/health/ready").statusCode()).isEqualTo(200);
      node.node().startDraining();
      assertThat(Http.get("http://127.0.0.1:" + metricsPort + "/health/ready").statusCode()).isEqualTo(503);
      assertThat(Http.get(node.httpUrl("/health/ready")).statusCode()).isEqualTo(503);
    }
  }
}
