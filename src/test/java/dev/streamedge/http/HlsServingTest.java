package dev.streamedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.rtmp.client.RtmpPublishClient;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.LogLines;
import dev.streamedge.testing.Prometheus;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How HLS is served: URLs, HEAD and Range, rolled-out segments, and when packaging runs. */
@Tag("e2e")
class HlsServingTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Pattern MEDIA_SEQUENCE = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)");
  private static final Pattern FIRST_URI = Pattern.compile("#EXTINF:[0-9.]+,\\s*\\n(\\S+)");

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  private static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static long mediaSequence(String playlist) {
    Matcher m = MEDIA_SEQUENCE.matcher(playlist);
    assertThat(m.find()).as(playlist).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static int segmentCount(String playlist) {
    return playlist.split("#EXTINF").length - 1;
  }

  @Test
  void segmentsAnswerHeadAndRangeAndRolledOutOnesAre404() throws Exception {
    // MPEG-TS at the seed URLs (hls.variant=mpegts): its segments are what this checks byte by byte.
    try (TestNode node = TestNode.start("--hls.target-duration=1s", "--hls.playlist-length=3",
        "--hls.kept-segments=1", "--hls.variant=mpegts")) {
      processes.own(Clients.publish("hls-serving-publisher", TestMedia.audioVideo(14, 1), node.rtmpUrl("serving")));
      node.awaitPublisher("serving");
      // Any app: /hls/<app>/<key>.m3u8 serves the same stream as the nginx-rtmp form for app "live".
      String playlistUrl = node.httpUrl("/hls/live/serving.m3u8");
      HttpResponse<byte[]> playlist = Http.getBytes(playlistUrl);
      assertThat(playlist.statusCode()).isEqualTo(200);
      Matcher uri = FIRST_URI.matcher(text(playlist));
      assertThat(uri.find()).isTrue();
      String segmentUrl = node.httpUrl("/hls/live/" + uri.group(1));
      assertThat(Http.getBytes(node.httpUrl("/hls/serving.m3u8")).statusCode()).isEqualTo(200);
      // Plain paths are served in front of the router; the ones it normalizes first go through it, to the
      // same answer.
      for (String roundabout : new String[] {"/hls/live/%73erving.m3u8", "/hls/live/./serving.m3u8",
          "/hls/x/../live/serving.m3u8"}) {
        HttpResponse<byte[]> same = Http.getBytes(node.httpUrl(roundabout));
        assertThat(same.statusCode()).as(roundabout).isEqualTo(200);
        assertThat(same.headers().firstValue("Content-Type")).as(roundabout)
            .isEqualTo(playlist.headers().firstValue("Content-Type"));
        assertThat(FIRST_URI.matcher(text(same)).find()).as(roundabout).isTrue();
      }

      HttpResponse<byte[]> whole = Http.getBytes(segmentUrl);
      assertThat(whole.statusCode()).isEqualTo(200);
      assertThat(whole.headers().firstValue("Cache-Control")).hasValue("public, max-age=86400, immutable");
      assertThat(whole.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
      byte[] data = whole.body();
      assertThat(data.length % 188).isZero();

      HttpResponse<byte[]> head = Http.send(Http.request(segmentUrl).method("HEAD", HttpRequest.BodyPublishers.noBody()),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.headers().firstValue("Content-Length")).hasValue(String.valueOf(data.length));
      assertThat(head.body()).isEmpty();

      HttpResponse<byte[]> range = Http.getBytes(segmentUrl, "Range", "bytes=188-375");
      assertThat(range.statusCode()).isEqualTo(206);
      assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 188-375/" + data.length);
      assertThat(range.body()).isEqualTo(Arrays.copyOfRange(data, 188, 376));
      HttpResponse<byte[]> suffix = Http.getBytes(segmentUrl, "Range", "bytes=-188");
      assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(data, data.length - 188, data.length));
      HttpResponse<byte[]> beyond = Http.getBytes(segmentUrl, "Range", "bytes=" + data.length + "-");
      assertThat(beyond.statusCode()).isEqualTo(416);

      // Three listed and one kept: once the window moved on by five, the first segment is gone.
      long first = mediaSequence(text(playlist));
      Await.until("the playlist to move on", Duration.ofSeconds(20),
          () -> mediaSequence(text(Http.getBytes(playlistUrl))) >= first + 5);
      assertThat(Http.getBytes(segmentUrl).statusCode()).as("rolled-out segment").isEqualTo(404);
    }
  }

  @Test
  void fromPublishStartTheFirstRequestFindsSegmentsReady() throws Exception {
    try (TestNode node = TestNode.start("--hls.target-duration=1s")) {
      processes.own(Clients.publish("hls-always-publisher", TestMedia.audioVideo(12, 1), node.rtmpUrl("always")));
      node.awaitPublisher("always");
      Await.until("three segments packaged", WAIT,
          () -> node.scrape().value("streamedge_hls_segments_produced_total") >= 3);
      String playlist = text(Http.getBytes(node.httpUrl("/hls/always.m3u8")));
      assertThat(segmentCount(playlist)).as("segments made before anyone asked")
          .isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void onDemandPackagingStartsAtTheFirstRequestAndStopsWhenIdle() throws Exception {
    try (TestNode node = TestNode.start("--hls.target-duration=1s", "--hls.on-demand-apps=live",
        "--hls.idle-timeout=2s"); LogLines logs = LogLines.capture()) {
      processes.own(Clients.publish("hls-ondemand-publisher", TestMedia.audioVideo(20, 1), node.rtmpUrl("ondemand")));
      node.awaitPublisher("ondemand");
      // Media has flowed for two whole seconds, in which packaging from the publish start would have
      // cut a segment of the 1 s target: nothing was packaged, and this request waits for the first one.
      Await.until("two seconds of media measured", WAIT, () -> new JsonObject(
          Http.get(node.httpUrl("/api/v1/streams/live/ondemand")).body()).getInteger("measuredSeconds") >= 2);
      assertThat(node.scrape().value("streamedge_hls_segments_produced_total")).as("segments before a request")
          .isZero();
      assertThat(logs.contains("hls start stream=live/ondemand")).as("a packager before a request").isFalse();
      HttpResponse<byte[]> first = Http.getBytes(node.httpUrl("/hls/ondemand.m3u8"));
      assertThat(first.statusCode()).isEqualTo(200);
      String playlist = text(first);
      assertThat(segmentCount(playlist)).as("segments right after the first request").isLessThanOrEqualTo(2);

      // No requests for longer than the idle timeout: packaging stops, and a new request starts afresh,
      // with media sequence numbers that still only grow.
      logs.await("hls stop stream=live/ondemand reason=idle", WAIT);
      HttpResponse<byte[]> again = Http.getBytes(node.httpUrl("/hls/ondemand.m3u8"));
      assertThat(again.statusCode()).isEqualTo(200);
      assertThat(segmentCount(text(again))).as("a new packager after idle").isLessThanOrEqualTo(2);
      assertThat(mediaSequence(text(again))).as("media sequence after the restart")
          .isGreaterThan(mediaSequence(playlist) + segmentCount(playlist));
    }
  }

  @Test
  void aPlaylistRequestWaitingForAStreamThatEndsBeforeItsFirstSegmentGetsA404AtOnce() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (TestNode node = TestNode.startWithMetricsPort("--hls.first-segment-wait=20s")) {
      // A publisher that sends no media at all, then leaves.
      RtmpPublishClient publisher = RtmpPublishClient.publish(vertx, "127.0.0.1", node.rtmpPort(), "live", "nomedia",
          reason -> { }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      long asked = System.nanoTime();
      CompletableFuture<HttpResponse<byte[]>> request = Http.sendAsync(
          Http.request(node.httpUrl("/hls/nomedia.m3u8")).timeout(Duration.ofSeconds(30)),
          HttpResponse.BodyHandlers.ofByteArray());
      String httpPort = ":" + node.node().httpPort();
      Await.until("the playlist request open on the node", Duration.ofSeconds(10), () -> {
        Prometheus scrape = node.scrape();
        return scrape.labelSets("vertx_http_server_active_requests").stream()
            .filter(labels -> labels.getOrDefault("local", "").endsWith(httpPort))
            .mapToDouble(labels -> scrape.value("vertx_http_server_active_requests", flat(labels)))
            .sum() == 1;
      });
      assertThat(request).as("the request waits while the stream is live").isNotDone();
      publisher.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

      HttpResponse<byte[]> response = request.get(30, TimeUnit.SECONDS);
      long waitedMs = (System.nanoTime() - asked) / 1_000_000;
      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(waitedMs).as("ms to the answer, with hls.first-segment-wait 20 s").isLessThan(5_000);
    } finally {
      vertx.close();
    }
  }

  private static String[] flat(Map<String, String> labels) {
    return labels.entrySet().stream().flatMap(e -> Stream.of(e.getKey(), e.getValue())).toArray(String[]::new);
  }
}
