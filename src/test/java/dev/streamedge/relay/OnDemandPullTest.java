package dev.streamedge.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.stream.StreamKey;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.FreePorts;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.LogLines;
import dev.streamedge.testing.NginxRtmp;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pulls on demand from nginx-rtmp (Debian's nginx with libnginx-mod-rtmp): ffmpeg publishes to
 * nginx-rtmp, a viewer asks streamedge for a stream nobody publishes there, and streamedge pulls it
 * from nginx-rtmp with {@code relay.pull-on-demand} while it has viewers, and stops the pull
 * {@code relay.pull-linger} after the last one left; or the play callback redirects the play to
 * nginx-rtmp with a 302 and an RTMP {@code Location}, as nginx-rtmp's on_play does.
 */
@Tag("e2e")
@Tag("timing")
class OnDemandPullTest {

  private static final long LINGER_MS = 2000;

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void aViewerOverRtmpHttpFlvOrHlsStartsAPullThatStopsAfterTheLingerWhenTheLastViewerLeft() throws Exception {
    int port = FreePorts.next();
    processes.own(NginxRtmp.start("on-demand", port));
    Path media = TestMedia.audioVideo(40, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    processes.own(Clients.publish("on-demand-publisher", media, NginxRtmp.url(port, "cam")));
    StreamKey cam = new StreamKey("live", "cam");
    try (TestNode node = TestNode.start("--relay.pull-on-demand=live=rtmp://127.0.0.1:" + port + "/live/{key}",
        "--relay.pull-linger=" + LINGER_MS + "ms", "--relay.pull-on-demand-max=1")) {
      // nginx-rtmp has the stream; streamedge pulls nothing until a viewer asks.
      Thread.sleep(1500);
      assertThat(pulls(node)).as("pulls before any viewer").isEmpty();
      assertThat(node.node().registry().isLive(cam)).isFalse();

      Path out = Clients.output("on-demand-rtmp.framemd5");
      Process player = processes.own(Ffmpeg.start("on-demand-rtmp", List.of("-i", node.rtmpUrl("cam"), "-map", "0",
          "-c", "copy", "-t", "6", "-f", "framemd5", "-y", out.toString())));
      Await.until("the on-demand pull publishing", Duration.ofSeconds(10),
          () -> pulls(node).size() == 1 && "publishing".equals(pulls(node).getJsonObject(0).getString("state")));
      JsonObject pull = pulls(node).getJsonObject(0);
      assertThat(pull.getBoolean("onDemand")).isTrue();
      assertThat(pull.getJsonObject("stream").getString("key")).isEqualTo("cam");
      assertThat(pull.getString("source")).isEqualTo("rtmp://127.0.0.1:" + port + "/live");

      // relay.pull-on-demand-max=1: a viewer of a second stream starts no second pull; it waits. The node
      // logs the refusal when the viewer subscribes: after that line, no second pull can come of it.
      try (LogLines log = LogLines.capture()) {
        Process other = processes.own(Clients.playToHashes("on-demand-other", node.rtmpUrl("other"),
            Clients.output("on-demand-other.framemd5")));
        log.await("pull live/other on demand: 1 pulls already, relay.pull-on-demand-max", Duration.ofSeconds(10));
        assertThat(log.contains("pull live/other on demand from")).as("a pull of the second stream").isFalse();
        assertThat(pulls(node).size()).as("pulls at the cap of 1").isEqualTo(1);
        ChildProcesses.stop(other);
      }

      Ffmpeg.awaitSuccess("on-demand-rtmp", player, 20);
      FrameHashes played = FrameHashes.parse(out);
      int videoFrom = FrameHashes.assertContiguous("video", published.video(), played.video());
      FrameHashes.assertContiguous("audio", published.audio(), played.audio());
      System.out.printf("on demand: %d video packets from published packet %d of %d, %d audio%n",
          played.video().size(), videoFrom, published.video().size(), played.audio().size());
      // -t 6 of a 25 fps stream: 128 and 148 packets measured (-t counts from the first packet of
      // either kind); at least 4 s of it.
      assertThat(played.video().size()).isGreaterThanOrEqualTo(100);

      // The viewer left while nginx-rtmp still sends: the pull lingers, then stops, and the stream here ends.
      Await.until("the pull lingering", Duration.ofSeconds(5),
          () -> pulls(node).size() == 1 && "lingering".equals(pulls(node).getJsonObject(0).getString("state")));
      long lingering = System.nanoTime();
      assertThat(node.node().registry().isLive(cam)).as("live while the pull lingers").isTrue();
      Await.until("the pull gone", Duration.ofSeconds(10), () -> pulls(node).isEmpty());
      long stoppedAfterMs = (System.nanoTime() - lingering) / 1_000_000;
      System.out.printf("on demand: the pull stopped %d ms after it was seen lingering (linger %d ms)%n",
          stoppedAfterMs, LINGER_MS);
      assertThat(stoppedAfterMs).isLessThanOrEqualTo(LINGER_MS + 1000);
      Await.until("the stream ended here", Duration.ofSeconds(5), () -> !node.node().registry().isLive(cam));

      // An HTTP-FLV viewer starts it again.
      Path flvOut = Clients.output("on-demand-flv.framemd5");
      Process flv = processes.own(Ffmpeg.start("on-demand-flv", List.of("-i", node.httpUrl("/live/cam.flv"), "-map",
          "0", "-c", "copy", "-t", "3", "-f", "framemd5", "-y", flvOut.toString())));
      Await.until("the pull again, for HTTP-FLV", Duration.ofSeconds(10),
          () -> pulls(node).size() == 1 && "publishing".equals(pulls(node).getJsonObject(0).getString("state")));
      Ffmpeg.awaitSuccess("on-demand-flv", flv, 20);
      FrameHashes overFlv = FrameHashes.parse(flvOut);
      int flvFrom = FrameHashes.assertContiguous("video over HTTP-FLV", published.video(), overFlv.video());
      System.out.printf("on demand: %d video packets over HTTP-FLV from published packet %d%n",
          overFlv.video().size(), flvFrom);
      assertThat(flvFrom).as("HTTP-FLV joined later than RTMP").isGreaterThan(videoFrom);
      Await.until("the pull gone again", Duration.ofSeconds(10), () -> pulls(node).isEmpty());

      // And an HLS playlist: the packager is the viewer.
      Await.until("an HLS playlist of the pulled stream", Duration.ofSeconds(20),
          () -> Http.get(node.httpUrl("/hls/live/cam.m3u8")).statusCode() == 200);
      assertThat(pulls(node).getJsonObject(0).getBoolean("onDemand")).isTrue();
    }
  }

  @Test
  void aPlayThatTheCallbackRedirectsToAnRtmpUrlIsPulledFromThere() throws Exception {
    int port = FreePorts.next();
    processes.own(NginxRtmp.start("redirect", port));
    Path media = TestMedia.audioVideo(20, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    processes.own(Clients.publish("redirect-publisher", media, NginxRtmp.url(port, "origin-cam")));
    // The operator's on_play service, as nginx-rtmp's docs have it: 302 with Location rtmp://... pulls.
    List<String> asked = new CopyOnWriteArrayList<>();
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer service = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
        asked.add(body.toString());
        request.response().setStatusCode(302).putHeader("Location", NginxRtmp.url(port, "origin-cam")).end();
      })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      try (TestNode node = TestNode.start("--auth.play=live=callback",
          "--auth.callback.on-play=http://127.0.0.1:" + service.actualPort() + "/on_play",
          "--relay.pull-linger=" + LINGER_MS + "ms")) {
        Path out = Clients.output("redirect-rtmp.framemd5");
        Process player = processes.own(Ffmpeg.start("redirect-rtmp", List.of("-i", node.rtmpUrl("cam"), "-map", "0",
            "-c", "copy", "-t", "4", "-f", "framemd5", "-y", out.toString())));
        Await.until("the redirected pull publishing", Duration.ofSeconds(10),
            () -> pulls(node).size() == 1 && "publishing".equals(pulls(node).getJsonObject(0).getString("state")));
        assertThat(asked).hasSize(1);
        assertThat(asked.get(0)).contains("call=play").contains("name=cam");
        JsonObject pull = pulls(node).getJsonObject(0);
        assertThat(pull.getJsonObject("stream").getString("key")).isEqualTo("cam");
        assertThat(pull.getBoolean("onDemand")).isTrue();

        Ffmpeg.awaitSuccess("redirect-rtmp", player, 20);
        FrameHashes played = FrameHashes.parse(out);
        int videoFrom = FrameHashes.assertContiguous("video", published.video(), played.video());
        FrameHashes.assertContiguous("audio", published.audio(), played.audio());
        System.out.printf("redirect: %d video packets from published packet %d of %d, %d audio%n",
            played.video().size(), videoFrom, published.video().size(), played.audio().size());
        assertThat(played.video().size()).isGreaterThan(75);
        Await.until("the redirected pull gone after the linger", Duration.ofSeconds(10), () -> pulls(node).isEmpty());

        // An HTTP-FLV player is redirected too.
        Path flvOut = Clients.output("redirect-flv.framemd5");
        Process flv = processes.own(Ffmpeg.start("redirect-flv", List.of("-i", node.httpUrl("/live/cam.flv"), "-map",
            "0", "-c", "copy", "-t", "3", "-f", "framemd5", "-y", flvOut.toString())));
        Ffmpeg.awaitSuccess("redirect-flv", flv, 20);
        assertThat(asked).hasSize(2);
        assertThat(asked.get(1)).contains("proto=http-flv");
        FrameHashes overFlv = FrameHashes.parse(flvOut);
        int flvFrom = FrameHashes.assertContiguous("video over HTTP-FLV", published.video(), overFlv.video());
        System.out.printf("redirect: %d video packets over HTTP-FLV from published packet %d%n",
            overFlv.video().size(), flvFrom);
        assertThat(flvFrom).as("HTTP-FLV joined later than RTMP").isGreaterThan(videoFrom);
        Await.until("the second redirected pull gone", Duration.ofSeconds(10), () -> pulls(node).isEmpty());
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static JsonArray pulls(TestNode node) throws Exception {
    return new JsonObject(Http.get(node.httpUrl("/api/v1/relays")).body()).getJsonArray("pull");
  }
}
