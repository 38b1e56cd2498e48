package dev.streamedge.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Http;
import dev.streamedge.testing.Prometheus;
import dev.streamedge.testing.TestNode;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The HTTP listeners' request meters ({@link HttpRequestMeters}): what each series counts, under the names
 * and labels vertx-micrometer-metrics gives them, and that made-up methods cannot add series.
 */
@Tag("e2e")
class HttpRequestMetersTest {

  @Test
  void requestsAreCountedByListenerMethodAndStatusWithTheirBytesAndTimes() throws Exception {
    try (TestNode node = TestNode.startWithMetricsPort()) {
      String local = "127.0.0.1:" + node.node().httpPort();
      long healthBytes = 0;
      for (int i = 0; i < 3; i++) {
        HttpResponse<byte[]> health = Http.getBytes(node.httpUrl("/health/live"));
        assertThat(health.statusCode()).isEqualTo(200);
        healthBytes += health.body().length;
      }
      for (int i = 0; i < 5; i++) {
        assertThat(Http.get(node.httpUrl("/nothing/here")).statusCode()).isEqualTo(404);
      }
      byte[] body = new byte[1000];
      for (int i = 0; i < 2; i++) {
        HttpResponse<String> post = Http.send(Http.request(node.httpUrl("/nothing/here"))
            .POST(BodyPublishers.ofByteArray(body)), BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(404);
      }

      Prometheus scrape = Prometheus.scrape("http://127.0.0.1:" + node.node().metricsPort() + "/metrics");
      assertThat(scrape.value("vertx_http_server_requests_total", "code", "200", "local", local, "method", "GET"))
          .isEqualTo(3);
      assertThat(scrape.value("vertx_http_server_requests_total", "code", "404", "local", local, "method", "GET"))
          .isEqualTo(5);
      assertThat(scrape.value("vertx_http_server_requests_total", "code", "404", "local", local, "method", "POST"))
          .isEqualTo(2);
      assertThat(scrape.value("vertx_http_server_response_time_seconds_count", "code", "200", "local", local,
          "method", "GET")).isEqualTo(3);
      assertThat(scrape.value("vertx_http_server_response_time_seconds_sum", "code", "200", "local", local,
          "method", "GET")).isPositive();
      assertThat(scrape.value("vertx_http_server_response_bytes_sum", "code", "200", "local", local,
          "method", "GET")).isEqualTo(healthBytes).isPositive();
      assertThat(scrape.value("vertx_http_server_request_bytes_sum", "local", local, "method", "POST"))
          .isEqualTo(2 * body.length);
      assertThat(scrape.value("vertx_http_server_request_bytes_count", "local", local, "method", "GET"))
          .isEqualTo(8);
      assertThat(scrape.value("vertx_http_server_active_requests", "local", local, "method", "GET")).isZero();
      assertThat(scrape.value("vertx_http_server_active_requests", "local", local, "method", "POST")).isZero();
      // The scrape itself is a request in flight on the metrics listener.
      assertThat(scrape.value("vertx_http_server_active_requests",
          "local", "127.0.0.1:" + node.node().metricsPort(), "method", "GET")).isEqualTo(1);
      assertThat(scrape.types()).containsEntry("vertx_http_server_requests_total", "counter")
          .containsEntry("vertx_http_server_response_time_seconds", "summary")
          .containsEntry("vertx_http_server_active_requests", "gauge");
    }
  }

  @Test
  void madeUpMethodsShareOneSeriesWhateverClientsSend() throws Exception {
    try (TestNode node = TestNode.startWithMetricsPort()) {
      String local = "127.0.0.1:" + node.node().httpPort();
      int madeUp = 200;
      for (int i = 0; i < madeUp; i++) {
        HttpResponse<String> answer = Http.send(Http.request(node.httpUrl("/live/x.flv"))
            .method("M" + i, BodyPublishers.noBody()), BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(404);
      }
      Http.get(node.httpUrl("/health/live"));

      Prometheus scrape = Prometheus.scrape("http://127.0.0.1:" + node.node().metricsPort() + "/metrics");
      Set<String> methods = new HashSet<>();
      for (Map<String, String> labels : scrape.labelSets("vertx_http_server_requests_total")) {
        if (local.equals(labels.get("local"))) {
          methods.add(labels.get("method"));
        }
      }
      assertThat(methods).containsExactlyInAnyOrder("_OTHER", "GET");
      assertThat(scrape.value("vertx_http_server_requests_total", "code", "404", "local", local,
          "method", "_OTHER")).isEqualTo(madeUp);
      assertThat(scrape.value("vertx_http_server_active_requests", "local", local, "method", "_OTHER")).isZero();
    }
  }
}
