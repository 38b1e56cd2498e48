package dev.streamedge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Http;
import dev.streamedge.testing.Prometheus;
import dev.streamedge.testing.TestNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Where {@code /metrics} is served, in which format, and that {@code metrics.enabled: false} turns it off. */
@Tag("e2e")
class MetricsEndpointTest {

  @Test
  void metricsAreOnTheHttpPortInPrometheusTextWithVertxAndJvmMeters() throws Exception {
    try (TestNode node = TestNode.start()) {
      HttpResponse<String> first = Http.get(node.httpUrl("/metrics"));
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");

      // The first scrape is an HTTP request like any other: the second one counts it.
      Prometheus second = Prometheus.parse(Http.get(node.httpUrl("/metrics")).body());
      assertThat(second.value("vertx_http_server_requests_total", "code", "200", "method", "GET",
          "local", "127.0.0.1:" + node.node().httpPort())).isPositive();
      assertThat(second.has("jvm_memory_used_bytes")).isTrue();
      assertThat(second.has("jvm_gc_pause_seconds_count") || second.has("jvm_gc_memory_allocated_bytes_total")).isTrue();
      assertThat(second.value("streamedge_players", "protocol", "rtmp")).isZero();
    }
  }

  @Test
  void aMetricsPortTakesMetricsOffTheHttpPort() throws Exception {
    try (TestNode node = TestNode.startWithMetricsPort()) {
      int metricsPort = node.node().metricsPort();
      HttpResponse<String> scrape = Http.get("http://127.0.0.1:" + metricsPort + "/metrics");
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(Prometheus.parse(scrape.body()).value("streamedge_streams_live")).isZero();
      assertThat(Http.get(node.httpUrl("/metrics")).statusCode()).isEqualTo(404);
      assertThat(Http.get("http://127.0.0.1:" + metricsPort + "/live/x.flv").statusCode()).as("no media there")
          .isEqualTo(404);
    }
  }

  @Test
  void disabledMetricsAreServedNowhereWhileHealthStays() throws Exception {
    try (TestNode node = TestNode.startWithMetricsPort("--metrics.enabled=false");
        TestNode onHttpPort = TestNode.start("--metrics.enabled=false")) {
      int metricsPort = node.node().metricsPort();
      assertThat(Http.get("http://127.0.0.1:" + metricsPort + "/metrics").statusCode()).isEqualTo(404);
      assertThat(Http.get(node.httpUrl("/metrics")).statusCode()).isEqualTo(404);
      assertThat(Http.get(onHttpPort.httpUrl("/metrics")).statusCode()).isEqualTo(404);
      assertThat(Http.get("http://127.0.0.1:" + metricsPort + "/health/ready").statusCode()).isEqualTo(200);
      assertThat(Http.get(onHttpPort.httpUrl("/health/ready")).statusCode()).isEqualTo(200);
    }
  }
}
