package dev.streamedge.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.Rtmpdump;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dashboard's live feed read as a plain HTTP client: snapshots at {@code ui.push-interval}, at most
 * {@code ui.max-subscribers} feeds at once, and snapshots capped at {@code ui.max-clients} clients.
 */
@Tag("e2e")
@Tag("timing")
class DashboardFeedTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void theFeedPushesSnapshotsAtItsIntervalToABoundedNumberOfDashboards() throws Exception {
    try (TestNode node = TestNode.start("--ui.push-interval=500ms", "--ui.max-subscribers=2", "--ui.max-clients=1")) {
      processes.own(Clients.publishLooping("feed-publisher", TestMedia.audioVideo(20, 1), node.rtmpUrl("feed")));
      node.awaitPublisher("feed");
      processes.own(Rtmpdump.play(node.rtmpUrl("feed"), Clients.output("feed-player.flv"), "feed-player.log"));
      // The player in the stream's API: its subscribers may also count the HLS packager, whether it
      // attached before or after the player (once in CI it never read 1).
      Await.until("the RTMP viewer in the stream's API", Duration.ofSeconds(20), () -> {
        JsonObject viewers = new JsonObject(Http.get(node.httpUrl("/api/v1/streams/live/feed")).body())
            .getJsonObject("viewers");
        return viewers != null && Integer.valueOf(1).equals(viewers.getInteger("rtmp"));
      });

      HttpResponse<InputStream> first = Http.getStream(node.httpUrl("/ui/events"));
      HttpResponse<InputStream> second = Http.getStream(node.httpUrl("/ui/events"));
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.headers().firstValue("Content-Type")).hasValue("text/event-stream");
      assertThat(second.statusCode()).isEqualTo(200);
      HttpResponse<String> third = Http.get(node.httpUrl("/ui/events"));
      assertThat(third.statusCode()).as("past ui.max-subscribers").isEqualTo(503);

      try (BufferedReader feed = new BufferedReader(new InputStreamReader(first.body(), StandardCharsets.UTF_8))) {
        List<JsonObject> snapshots = new ArrayList<>();
        long start = System.nanoTime();
        while (System.nanoTime() - start < Duration.ofSeconds(4).toNanos()) {
          String line = feed.readLine();
          if (line != null && line.startsWith("data: ")) {
            snapshots.add(new JsonObject(line.substring("data: ".length())));
          }
        }
        // One every 500 ms, by the node's clock: what the reader found waiting counts too, so the
        // average is taken over the snapshots' own times.
        assertThat(snapshots.size()).isGreaterThanOrEqualTo(6);
        long span = snapshots.get(snapshots.size() - 1).getLong("time") - snapshots.get(0).getLong("time");
        assertThat(span / (double) (snapshots.size() - 1)).as("ms between snapshots on average").isBetween(400.0, 600.0);
        JsonObject last = snapshots.get(snapshots.size() - 1);
        assertThat(last.getJsonArray("streams").getJsonObject(0).getString("key")).isEqualTo("feed");
        assertThat(last.getJsonArray("streams").getJsonObject(0).getJsonObject("viewers").getInteger("rtmp")).isEqualTo(1);
        assertThat(last.getInteger("clientsTotal")).isEqualTo(2);
        assertThat(last.getJsonArray("clients")).as("capped at ui.max-clients, publishers first").hasSize(1);
        assertThat(last.getJsonArray("clients").getJsonObject(0).getString("role")).isEqualTo("publisher");
        assertThat(last.getJsonObject("load").getInteger("dashboards")).isEqualTo(2);
      }
      second.body().close();
      first.body().close();
      // The closed feeds free their places.
      dev.streamedge.testing.Await.until("a place for a new dashboard", Duration.ofSeconds(5), () -> {
        HttpResponse<InputStream> again = Http.getStream(node.httpUrl("/ui/events"));
        again.body().close();
        return again.statusCode() == 200;
      });
    }
  }
}
