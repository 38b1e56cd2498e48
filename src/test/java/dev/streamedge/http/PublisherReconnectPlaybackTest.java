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

  private static final int PLAYED_SECONDS = 24;

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void hlsJsPlaysOnThroughAPublisherReconnect() throws Exception {
    Path media = TestMedia.audioVideo(20, 2);
    try (TestNode node = TestNode.start()) {
      Process first = processes.own(Clients.publishLooping("blip-first", media, node.rtmpUrl("blip")));
      node.awaitPublisher("blip");
      String url = node.httpUrl("/hls/blip.m3u8");
      Await.until("the LL-HLS playlist", Duration.ofSeconds(15), () -> Http.status(url) == 200);
      CompletableFuture<BrowserPlayback.Result> viewer = CompletableFuture.supplyAsync(() -> BrowserPlayback.play(
          "hlsjs-publisher-reconnect", BrowserPlayback.HLS, url, PLAYED_SECONDS, Duration.ofSeconds(90),
          List.of("--low-latency", "true")));
      String api = node.httpUrl("/api/v1/streams/live/blip");
      Await.until("hls.js counted as a viewer", Duration.ofSeconds(30), () -> viewers(api, "hls") >= 1);
      // Some seconds of playback, then the cut: the publisher leaves, and comes back a second later.
      Thread.sleep(5000);
      ChildProcesses.stop(first);
      Await.until("the publisher gone", Duration.ofSeconds(10), () -> !live(api));
      Thread.sleep(1000);
      processes.own(Clients.publishLooping("blip-second", media, node.rtmpUrl("blip")));
      BrowserPlayback.Result result = viewer.get(120, TimeUnit.SECONDS);
      assertThat(result.ok()).as("played %d s across the reconnect: %s", PLAYED_SECONDS, result.describe()).isTrue();
      assertThat(result.fatalErrors()).as(result.describe()).isEmpty();
    }
  }

  /** mpegts.js on HTTP-FLV, with player.flv-republish-wait: the response stays open through the cut. */
  @Test
  void mpegtsJsPlaysHttpFlvOnThroughAPublisherReconnectWithARepublishWait() throws Exception {
    Path media = TestMedia.audioVideo(20, 2);
    try (TestNode node = TestNode.start("--player.flv-republish-wait=5s")) {
      Process first = processes.own(Clients.publishLooping("flv-blip-first", media, node.rtmpUrl("flvblip")));
      node.awaitPublisher("flvblip");
      String url = node.httpUrl("/live/flvblip.flv");
      CompletableFuture<BrowserPlayback.Result> viewer = CompletableFuture.supplyAsync(() -> BrowserPlayback.play(
          "mpegts-publisher-reconnect", BrowserPlayback.MPEGTS, url, PLAYED_SECONDS, Duration.ofSeconds(90)));
      String api = node.httpUrl("/api/v1/streams/live/flvblip");
      Await.until("mpegts.js playing", Duration.ofSeconds(30), () -> viewers(api, "http-flv") >= 1);
      Thread.sleep(5000);
      ChildProcesses.stop(first);
      Await.until("the publisher gone", Duration.ofSeconds(10), () -> !live(api));
      Thread.sleep(1000);
      processes.own(Clients.publishLooping("flv-blip-second", media, node.rtmpUrl("flvblip")));
      BrowserPlayback.Result result = viewer.get(120, TimeUnit.SECONDS);
      assertThat(result.ok()).as("played %d s across the reconnect: %s", PLAYED_SECONDS, result.describe()).isTrue();
      assertThat(result.fatalErrors()).as(result.describe()).isEmpty();
    }
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
