package dev.streamedge.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HLS viewers counted as sessions, in the API and the metrics: real ffmpeg HLS players, two with an
 * {@code hls_ctx} of their own and one without, join and leave.
 */
@Tag("e2e")
@Tag("timing")
class HlsViewersTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void eachHlsPlayerIsOneViewerWhileItReloadsItsPlaylist() throws Exception {
    try (TestNode node = TestNode.start("--hls-sessions.timeout=4s")) {
      processes.own(Clients.publishLooping("hls-viewers-publisher", TestMedia.audioVideo(20, 1), node.rtmpUrl("seen")));
      node.awaitPublisher("seen");
      Process one = player(node, "/hls/live/seen.m3u8?hls_ctx=player-one", "hls-viewers-1");
      Process two = player(node, "/hls/live/seen.m3u8?hls_ctx=player-two", "hls-viewers-2");
      Process plain = player(node, "/hls/seen.m3u8", "hls-viewers-3");
      awaitHlsViewers(node, 3);
      // Through several reloads (2 s segments), each player stays one session: ffmpeg reloads the URL it
      // was given, token included.
      long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
      while (System.nanoTime() < until) {
        assertThat(hlsViewers(node)).isEqualTo(3);
        assertThat(node.scrape().value("streamedge_players", "protocol", "hls")).isEqualTo(3.0);
        Thread.sleep(500);
      }
      ChildProcesses.stop(one);
      awaitHlsViewers(node, 2);
      ChildProcesses.stop(plain);
      awaitHlsViewers(node, 1);
      ChildProcesses.stop(two);
      awaitHlsViewers(node, 0);
      assertThat(node.scrape().value("streamedge_hls_sessions_started_total")).isEqualTo(3.0);
    }
  }

  @Test
  void turnedOffTheApiSaysHlsViewersAreNotCounted() throws Exception {
    try (TestNode node = TestNode.start("--hls-sessions.enabled=false")) {
      processes.own(Clients.publishLooping("hls-viewers-off-publisher", TestMedia.audioVideo(20, 1), node.rtmpUrl("off")));
      node.awaitPublisher("off");
      player(node, "/hls/off.m3u8", "hls-viewers-off");
      Await.until("a playlist served", Duration.ofSeconds(20),
          () -> node.scrape().value("streamedge_hls_playlists_served_total") >= 2);
      JsonObject viewers = new JsonObject(Http.get(node.httpUrl("/api/v1/streams/live/off")).body())
          .getJsonObject("viewers");
      assertThat(viewers.containsKey("hls") && viewers.getValue("hls") == null).isTrue();
      assertThat(node.scrape().value("streamedge_players", "protocol", "hls")).isZero();
    }
  }

  private Process player(TestNode node, String path, String name) throws Exception {
    return processes.own(Ffmpeg.start(name, List.of("-i", node.httpUrl(path), "-c", "copy", "-f", "null", "-")));
  }

  private static int hlsViewers(TestNode node) throws Exception {
    return new JsonObject(Http.get(node.httpUrl("/api/v1/streams/live/seen")).body())
        .getJsonObject("viewers").getInteger("hls");
  }

  private static void awaitHlsViewers(TestNode node, int count) throws Exception {
    // A session ends 4 s after its last reload, counted within a second.
    Await.until(count + " HLS viewers in the API", Duration.ofSeconds(12), () -> hlsViewers(node) == count);
  }
}
