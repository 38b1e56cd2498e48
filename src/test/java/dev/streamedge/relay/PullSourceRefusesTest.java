package dev.streamedge.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.FreePorts;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.LogLines;
import dev.streamedge.testing.NginxRtmp;
import dev.streamedge.testing.Prometheus;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A pull whose source refuses it: nginx-rtmp (Debian's nginx with libnginx-mod-rtmp) has no
 * application {@code noapp}. The pull logs why, once per try, tries again with the backoff, counts in
 * the metrics; another pull from the same nginx-rtmp and its viewer are not disturbed.
 */
@Tag("e2e")
@Tag("timing")
class PullSourceRefusesTest {

  private static final long MIN_MS = 200;
  private static final long MAX_MS = 800;

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void aRefusedPullLogsWhyBacksOffAndCountsWhileAnotherPullAndItsViewerGetEveryPacket() throws Exception {
    int port = FreePorts.next();
    processes.own(NginxRtmp.start("refuses", port));
    String refused = "rtmp://127.0.0.1:" + port + "/noapp";
    String good = "rtmp://127.0.0.1:" + port + "/live";
    Path media = TestMedia.audioVideo(8, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    try (LogLines log = LogLines.capture();
        TestNode node = TestNode.startWithMetricsPort("--relay.pull=live/refused=" + refused + "/cam,live/good="
            + NginxRtmp.url(port, "src"), "--relay.reconnect-min=" + MIN_MS + "ms", "--relay.reconnect-max=" + MAX_MS
            + "ms")) {
      Path viewed = Clients.output("refuses-viewer.framemd5");
      Process viewer = processes.own(Clients.playToHashes("refuses-viewer", node.rtmpUrl("good"), viewed));
      node.awaitSubscribers("good", 1);
      Process publisher = processes.own(Clients.publish("refuses-publisher", media, NginxRtmp.url(port, "src")));

      String failure = "pull live/refused from " + Pattern.quote(refused) + ": (.+); again in (\\d+) ms";
      Await.until("6 failures of the refused pull", Duration.ofSeconds(15), () -> log.count(failure) >= 6);
      List<String> lines = log.matching(failure);
      List<Long> times = log.times(failure);
      JsonObject state = pull(node, "refused");
      Prometheus metrics = node.scrape();
      lines.forEach(line -> System.out.println("log: " + line));
      System.out.println("GET /api/v1/relays: " + Http.get(node.httpUrl("/api/v1/relays")).body());

      Pattern parts = Pattern.compile(failure);
      for (int n = 0; n < lines.size(); n++) {
        Matcher m = parts.matcher(lines.get(n));
        assertThat(m.find()).isTrue();
        long wait = Math.min(MIN_MS << n, MAX_MS);
        assertThat(Long.parseLong(m.group(2))).as("the wait after failure %d", n + 1).isEqualTo(wait);
        assertThat(m.group(1)).as("why, in the log")
            .isEqualTo("connection closed before the server answered connect to app 'noapp'");
        if (n + 1 < times.size()) {
          long gap = times.get(n + 1) - times.get(n);
          System.out.printf("failure %d -> %d: %d ms (backoff %d ms)%n", n + 1, n + 2, gap, wait);
          // The next try starts after the wait; nginx-rtmp refuses it within milliseconds, a loaded machine more.
          assertThat(gap).as("ms from failure %d to %d", n + 1, n + 2).isBetween(wait, wait + MAX_MS / 2);
        }
      }
      assertThat(state.getString("state")).isIn("waiting", "connecting");
      assertThat(state.getString("lastError")).isNotBlank();
      assertThat(state.getLong("reconnects")).isGreaterThanOrEqualTo(6);
      assertThat(metrics.value("streamedge_relay_pull_reconnects_total", "source", refused))
          .isGreaterThanOrEqualTo(6);
      assertThat(metrics.value("streamedge_relay_pull_messages_total", "source", refused)).isZero();
      assertThat(metrics.value("streamedge_relay_pull_reconnects_total", "source", good)).isZero();
      assertThat(metrics.value("streamedge_relay_pull_messages_total", "source", good)).isGreaterThan(0);
      assertThat(pull(node, "good").getString("state")).isEqualTo("publishing");

      Ffmpeg.awaitSuccess("refuses-publisher", publisher, 30);
      Ffmpeg.awaitSuccess("refuses-viewer", viewer, 20);
      FrameHashes received = FrameHashes.parse(viewed);
      FrameHashes.assertReceivedToTheEnd("the other pull's viewer", published, received,
          published.video().size() * 9 / 10);
      System.out.printf("the other pull's viewer: %d of %d video, %d of %d audio packets%n", received.video().size(),
          published.video().size(), received.audio().size(), published.audio().size());
      assertThat(pull(node, "good").getLong("reconnects")).isZero();
    }
  }

  private static JsonObject pull(TestNode node, String key) throws Exception {
    JsonArray pulls = new JsonObject(Http.get(node.httpUrl("/api/v1/relays")).body()).getJsonArray("pull");
    return pulls.stream().map(JsonObject.class::cast)
        .filter(p -> p.getJsonObject("stream").getString("key").equals(key)).findFirst().orElseThrow();
  }
}
