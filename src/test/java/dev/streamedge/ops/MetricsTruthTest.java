package dev.streamedge.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.NodeProcess;
import dev.streamedge.testing.Prometheus;
import dev.streamedge.testing.Rtmpdump;
import dev.streamedge.testing.TcpForwarder;
import dev.streamedge.testing.TestMedia;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The byte and connection meters against what real clients received: RTMP clients (an ffmpeg publisher, an
 * rtmpdump and an ffmpeg player) reach the node through a forwarder that counts every byte each way, and an
 * HTTP-FLV player counts the body it read. The node runs in its own JVM, so that its log is its own from
 * the first connection.
 */
@Tag("e2e")
class MetricsTruthTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void theNodesByteAndConnectionMetersCountWhatItsClientsGot() throws Exception {
    try (NodeProcess node = processes.own(NodeProcess.single("metrics-truth"));
        TcpForwarder forwarder = TcpForwarder.start("127.0.0.1", node.rtmpPort())) {
      node.awaitLog("listening: ", Duration.ofSeconds(30));
      String url = "rtmp://127.0.0.1:" + forwarder.port() + "/live/truth";
      Process publisher = processes.own(Clients.publish("truth-publisher", TestMedia.audioVideo(8, 1), url));
      Await.until("the publish", Duration.ofSeconds(15),
          () -> Http.get(node.httpUrl("/api/v1/streams/live/truth")).statusCode() == 200);
      Process rtmpdump = processes.own(Rtmpdump.play(url, Clients.output("truth-rtmpdump.flv"), "truth-rtmpdump.log"));
      Process ffmpeg = processes.own(Ffmpeg.start("truth-rtmp-player", List.of("-i", url, "-c", "copy", "-f", "null", "-")));
      CompletableFuture<Long> flvBytes = CompletableFuture.supplyAsync(() -> readToTheEnd(node.httpUrl("/live/truth.flv")));

      String local = "127.0.0.1:" + node.rtmpPort();
      Await.until("three RTMP connections in vertx_net_server_active_connections", Duration.ofSeconds(15), () ->
          forwarder.openConnections() == 3
              && Prometheus.scrape(node.httpUrl("/metrics")).value("vertx_net_server_active_connections", "local", local) == 3);

      // The publish ends with its file: the players see it end and leave.
      assertThat(publisher.waitFor(30, TimeUnit.SECONDS)).isTrue();
      long flv = flvBytes.get(30, TimeUnit.SECONDS);
      for (Process player : List.of(rtmpdump, ffmpeg)) {
        if (!player.waitFor(15, TimeUnit.SECONDS)) {
          ChildProcesses.stop(player);
        }
      }
      Await.until("every RTMP connection closed", Duration.ofSeconds(15), () -> forwarder.openConnections() == 0
          && Prometheus.scrape(node.httpUrl("/metrics")).value("vertx_net_server_active_connections", "local", local) == 0);

      Prometheus metrics = Prometheus.scrape(node.httpUrl("/metrics"));
      long toClients = forwarder.bytesToClients();
      long fromClients = forwarder.bytesToBackends();
      double written = metrics.value("vertx_net_server_bytes_written_total", "local", local);
      double sent = metrics.value("streamedge_sent_bytes_total", "protocol", "rtmp");
      double read = metrics.value("vertx_net_server_bytes_read_total", "local", local);
      System.out.printf("metrics-truth: RTMP clients got %d bytes; vertx_net_server_bytes_written_total %.0f,"
          + " streamedge_sent_bytes_total{rtmp} %.0f; sent %d, vertx_net_server_bytes_read_total %.0f;"
          + " HTTP-FLV body %d, streamedge_sent_bytes_total{http-flv} %.0f%n", toClients, written, sent, fromClients,
          read, flv, metrics.value("streamedge_sent_bytes_total", "protocol", "http-flv"));
      // A client that closes first leaves what the node wrote last (a ping, an acknowledgement) unread: a
      // few hundred bytes at most against megabytes of media.
      assertThat(toClients).as("the players got the stream").isGreaterThan(1_000_000);
      assertThat(written).as("vertx_net_server_bytes_written_total").isCloseTo(toClients, within(2048.0));
      assertThat(sent).as("streamedge_sent_bytes_total{protocol=rtmp}").isCloseTo(toClients, within(2048.0));
      assertThat(read).as("vertx_net_server_bytes_read_total").isCloseTo(fromClients, within(2048.0));
      assertThat(flv).as("the HTTP-FLV player got the stream").isGreaterThan(500_000);
      assertThat(metrics.value("streamedge_sent_bytes_total", "protocol", "http-flv"))
          .as("streamedge_sent_bytes_total{protocol=http-flv}").isEqualTo((double) flv);
      assertThat(node.log()).as("each meter registered once, without a warning")
          .doesNotContain("already registered");
    }
  }

  private static long readToTheEnd(String url) {
    try {
      HttpResponse<InputStream> response = Http.getStream(url);
      long total = 0;
      try (InputStream body = response.body()) {
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = body.read(buffer)) >= 0) {
          total += n;
        }
      }
      return total;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
