package dev.streamedge.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.FreePorts;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.NginxRtmp;
import dev.streamedge.testing.Prometheus;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A dead push target (a port nothing listens on) is tried again and again with a backoff that doubles
 * from relay.reconnect-min to relay.reconnect-max, in the API and the metrics, while a viewer
 * on streamedge and a second target, nginx-rtmp, get every packet.
 */
@Tag("e2e")
@Tag("timing")
class PushRelayBackoffTest {

  private static final long MIN_MS = 200;
  private static final long MAX_MS = 800;

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void aDeadTargetIsRetriedWithBackoffWhileTheViewerAndTheOtherTargetGetEveryPacket() throws Exception {
    int nginxPort = FreePorts.next();
    int deadPort = FreePorts.next();
    processes.own(NginxRtmp.start("backoff", nginxPort));
    String live = "rtmp://127.0.0.1:" + nginxPort + "/live";
    String dead = "rtmp://127.0.0.1:" + deadPort + "/live";
    Path media = TestMedia.audioVideo(8, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    try (TestNode node = TestNode.startWithMetricsPort(
        "--relay.push=live=" + NginxRtmp.url(deadPort, "{key}") + ",live=" + NginxRtmp.url(nginxPort, "{key}"),
        "--relay.reconnect-min=" + MIN_MS + "ms", "--relay.reconnect-max=" + MAX_MS + "ms")) {
      Path viewed = Clients.output("backoff-viewer.framemd5");
      Process viewer = processes.own(Clients.playToHashes("backoff-viewer", node.rtmpUrl("backoff"), viewed));
      node.awaitSubscribers("backoff", 1);
      Process publisher = processes.own(Clients.publish("backoff-publisher", media, node.rtmpUrl("backoff")));
      // Each failure's time as the node took it (lastErrorAt), whatever the poll's delays: the times of
      // the 1st to the 5th failure, as far as the polls saw them.
      Map<Long, Long> failedAt = new TreeMap<>();
      Await.until("5 reconnects to the dead target", Duration.ofSeconds(15), () -> {
        PushRelays.push(node, "backoff", dead).filter(p -> p.getLong("reconnects") > 0).ifPresent(p -> failedAt
            .putIfAbsent(p.getLong("reconnects"), Instant.parse(p.getString("lastErrorAt")).toEpochMilli()));
        return failedAt.keySet().stream().anyMatch(n -> n >= 5);
      });
      Await.until("the push to nginx-rtmp connected", Duration.ofSeconds(10),
          () -> PushRelays.connected(node, "backoff", live));
      Path fromNginx = Clients.output("backoff-nginx-player.framemd5");
      Process nginxPlayer = processes.own(Clients.playToHashes("backoff-nginx-player",
          NginxRtmp.url(nginxPort, "backoff"), fromNginx));

      JsonObject push = PushRelays.push(node, "backoff", dead).orElseThrow();
      Prometheus metrics = node.scrape();
      System.out.println("GET /api/v1/relays: " + Http.get(node.httpUrl("/api/v1/relays")).body());
      // After failure n the wait is 200 ms doubled n-1 times, at most 800: 200, 400, 800, 800...
      // Timers never fire early; a refused connect takes a millisecond or so, a loaded machine more. Without
      // the cap, the wait after the 4th would be 1600 ms; without the doubling, 200 ms each.
      int gaps = 0;
      for (Map.Entry<Long, Long> failure : failedAt.entrySet()) {
        long n = failure.getKey();
        Long next = failedAt.get(n + 1);
        if (next != null) {
          long wait = Math.min(MIN_MS << (n - 1), MAX_MS);
          System.out.printf("failure %d -> %d: %d ms (backoff %d ms)%n", n, n + 1, next - failure.getValue(), wait);
          assertThat(next - failure.getValue()).as("ms from failure %d to %d", n, n + 1)
              .isBetween(wait, wait + MAX_MS / 2);
          gaps++;
        }
      }
      assertThat(gaps).as("gaps between failures seen: " + failedAt).isGreaterThanOrEqualTo(2);
      assertThat(push.getBoolean("connected")).isFalse();
      assertThat(push.getString("lastError")).containsIgnoringCase("refused");
      assertThat(metrics.value("streamedge_relay_push_reconnects_total", "target", dead))
          .isGreaterThanOrEqualTo(5);
      assertThat(metrics.value("streamedge_relay_push_connected", "target", dead)).isZero();
      assertThat(metrics.value("streamedge_relay_push_connected", "target", live)).isEqualTo(1);
      assertThat(metrics.value("streamedge_relay_push_bytes_total", "target", live)).isGreaterThan(100_000);
      assertThat(PushRelays.reconnects(node, "backoff", live)).as("reconnects of the live target").isZero();

      Ffmpeg.awaitSuccess("backoff-publisher", publisher, 30);
      Ffmpeg.awaitSuccess("backoff-viewer", viewer, 20);
      Ffmpeg.awaitSuccess("backoff-nginx-player", nginxPlayer, 20);
      FrameHashes received = FrameHashes.parse(viewed);
      assertThat(received.video()).as("video of the viewer on streamedge").isEqualTo(published.video());
      assertThat(received.audio()).as("audio of the viewer on streamedge").isEqualTo(published.audio());
      FrameHashes pushed = FrameHashes.parse(fromNginx);
      FrameHashes.assertContiguous("video from nginx-rtmp", published.video(), pushed.video());
      FrameHashes.assertContiguous("audio from nginx-rtmp", published.audio(), pushed.audio());
      assertThat(pushed.video().size()).as("video packets from nginx-rtmp").isGreaterThan(published.video().size() / 2);
    }
  }
}
