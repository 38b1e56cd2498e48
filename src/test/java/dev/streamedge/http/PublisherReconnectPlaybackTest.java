package dev.streamedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.BrowserPlayback;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * OBS after a network cut: its publisher goes, and a second later comes back on the same key. A browser
 * viewer on the LL-HLS seed URL (hls.js) plays on through it, across the EXT-X-DISCONTINUITY, without a
 * reload: the stream's timeline goes on, so its parts and segments follow the ones before. So does
 * mpegts.js on HTTP-FLV when the node holds the stream open for a publisher that comes back
 * ({@code player.flv-republish-wait}).
 */
@Tag("browser")
class PublisherReconnectPlaybackTest {

  private static final int PLAYED_SECONDS = 16;

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void hlsJsPlaysOnThroughAPublisherReconnect() throws Exception {
    try (TestNode node = TestNode.start()) {
      playThroughAReconnect(node, "blip", BrowserPlayback.HLS, "/hls/blip.m3u8", "hls",
          List.of("--low-latency", "true"));
    }
  }

  /** mpegts.js on HTTP-FLV, with player.flv-republish-wait: the response stays open through the cut. */
  @Test
  void mpegtsJsPlaysHttpFlvOnThroughAPublisherReconnectWithARepublishWait() throws Exception {
    try (TestNode node = TestNode.start("--player.flv-republish-wait=5s")) {
      playThroughAReconnect(node, "flvblip", BrowserPlayback.MPEGTS, "/live/flvblip.flv", "http-flv", List.of());
    }
  }

  /**
   * Plays {@code path} with {@code player} while the publisher of {@code key} leaves, some seconds in, and
   * comes back a second later; {@code counted} is the API's name for the player's protocol.
   */
  private void playThroughAReconnect(TestNode node, String key, String player, String path, String counted,
      List<String> playerArgs) throws Exception {
    Path media = TestMedia.audioVideo(20, 2);
    Process first = processes.own(Clients.publishLooping(key + "-first", media, node.rtmpUrl(key)));
    node.awaitPublisher(key);
    String url = node.httpUrl(path);
    if (path.endsWith(".m3u8")) {
      // (An HTTP-FLV request would be a viewer of its own, which the count below must not see.)
      Await.until("the playlist", Duration.ofSeconds(15), () -> Http.status(url) == 200);
    }
    CompletableFuture<BrowserPlayback.Result> viewer = CompletableFuture.supplyAsync(() -> BrowserPlayback.play(
        player + "-publisher-reconnect", player, url, PLAYED_SECONDS, Duration.ofSeconds(90), playerArgs));
    String api = node.httpUrl("/api/v1/streams/live/" + key);
    Await.until(player + " counted as a viewer", Duration.ofSeconds(30), () -> viewers(api, counted) >= 1);
    // Some seconds of playback, then the cut: the publisher leaves, and comes back a second later.
    Thread.sleep(5000);
    ChildProcesses.stop(first);
    Await.until("the publisher gone", Duration.ofSeconds(10), () -> !live(api));
    Thread.sleep(1000);
    processes.own(Clients.publishLooping(key + "-second", media, node.rtmpUrl(key)));
    BrowserPlayback.Result result = viewer.get(120, TimeUnit.SECONDS);
    assertThat(result.ok()).as("played %d s across the reconnect: %s", PLAYED_SECONDS, result.describe()).isTrue();
    assertThat(result.fatalErrors()).as(result.describe()).isEmpty();
  }

  private static boolean live(String api) throws Exception {
    HttpResponse<String> response = Http.get(api);
    return response.statusCode() == 200 && new JsonObject(response.body()).getBoolean("live", false);
  }

  /** The stream's viewers over {@code protocol} ("hls", "http-flv") by the API; 0 when it has none or no stream. */
  private static int viewers(String api, String protocol) throws Exception {
    HttpResponse<String> response = Http.get(api);
    if (response.statusCode() != 200) {
      return 0;
    }
    JsonObject viewers = new JsonObject(response.body()).getJsonObject("viewers");
    return viewers == null || viewers.getInteger(protocol) == null ? 0 : viewers.getInteger(protocol);
  }
}
