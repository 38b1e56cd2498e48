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
import dev.streamedge.testing.NodeProcess;
import dev.streamedge.testing.RecordingPlayer;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pulls from HTTP-FLV sources: another streamedge node in its own JVM, and ffmpeg's own HTTP server
 * ({@code ffmpeg -f flv -listen 1 http://...}, Debian's ffmpeg 5.1), a server nobody here wrote. The
 * pulled stream plays over RTMP, HTTP-FLV and HLS with the published packets.
 */
@Tag("e2e")
class HttpFlvPullTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void aStreamPulledFromAnotherNodesHttpFlvPlaysOverRtmpHttpFlvAndHlsStaticOrOnDemand() throws Exception {
    NodeProcess source = processes.own(NodeProcess.single("http-flv-source"));
    source.awaitLog("listening: ", Duration.ofSeconds(30));
    Path media = TestMedia.audioVideo(8, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    StreamKey pulled = new StreamKey("live", "pulled");
    try (TestNode node = TestNode.start("--relay.pull=live/pulled=" + source.httpUrl("/live/cam.flv"),
        "--relay.pull-on-demand=od=" + source.httpUrl("/live/{key}.flv"),
        "--relay.reconnect-min=100ms", "--relay.reconnect-max=400ms")) {
      // Nothing published on the source yet: its 404 refuses the pull, which tries again.
      Await.until("the pull refused by the source's 404", Duration.ofSeconds(10),
          () -> pull(node, 0).getLong("reconnects") >= 2);
      assertThat(pull(node, 0).getString("lastError")).isEqualTo("HTTP 404 Not Found");
      assertThat(pull(node, 0).getString("source")).as("no stream name in the label")
          .isEqualTo(source.httpUrl("/live"));
      assertThat(node.node().registry().isLive(pulled)).isFalse();

      Path rtmpOut = Clients.output("http-flv-pulled-rtmp.framemd5");
      Process rtmpPlayer = processes.own(Clients.playToHashes("http-flv-pulled-rtmp", node.rtmpUrl("pulled"), rtmpOut));
      node.awaitSubscribers("pulled", 1);
      Process publisher = processes.own(Clients.publish("http-flv-source-publisher", media, source.rtmpUrl("cam")));
      node.awaitPublisher("pulled");
      // The registry sees the publisher before the pull's own state moves from "playing" on.
      Await.until("the pull's state publishing", Duration.ofSeconds(5),
          () -> "publishing".equals(pull(node, 0).getString("state")));

      Path flvOut = Clients.output("http-flv-pulled-flv.framemd5");
      Process flvPlayer = processes.own(Clients.playToHashes("http-flv-pulled-flv", node.httpUrl("/live/pulled.flv"),
          flvOut));
      // On demand: a viewer of od/cam here pulls the source's live/cam.flv.
      Path onDemandOut = Clients.output("http-flv-on-demand.framemd5");
      Process onDemand = processes.own(Ffmpeg.start("http-flv-on-demand", List.of("-i",
          node.rtmpUrl("cam").replace("/live/", "/od/"), "-map", "0", "-c", "copy", "-t", "3", "-f", "framemd5", "-y",
          onDemandOut.toString())));
      Await.until("an HLS playlist of the pulled stream", Duration.ofSeconds(15),
          () -> Http.get(node.httpUrl("/hls/live/pulled.m3u8")).statusCode() == 200);
      Ffmpeg.awaitSuccess("http-flv-on-demand", onDemand, 20);
      JsonObject od = pulls(node).stream().map(JsonObject.class::cast).filter(p -> p.getBoolean("onDemand"))
          .findFirst().orElseThrow();
      assertThat(od.getJsonObject("stream").getString("app")).isEqualTo("od");
      assertThat(od.getString("source")).isEqualTo(source.httpUrl("/live"));

      Ffmpeg.awaitSuccess("http-flv-source-publisher", publisher, 30);
      // The source ends its HTTP-FLV answer with its stream; the stream here ends, and its players.
      Ffmpeg.awaitSuccess("http-flv-pulled-rtmp", rtmpPlayer, 20);
      Ffmpeg.awaitSuccess("http-flv-pulled-flv", flvPlayer, 20);
      FrameHashes overRtmp = FrameHashes.parse(rtmpOut);
      FrameHashes overFlv = FrameHashes.parse(flvOut);
      FrameHashes overOnDemand = FrameHashes.parse(onDemandOut);
      FrameHashes.assertReceivedToTheEnd("over RTMP", published, overRtmp, published.video().size() * 9 / 10);
      FrameHashes.assertReceivedToTheEnd("over HTTP-FLV", published, overFlv, 50);
      int onDemandFrom = FrameHashes.assertContiguous("on demand, video", published.video(), overOnDemand.video());
      FrameHashes.assertContiguous("on demand, audio", published.audio(), overOnDemand.audio());
      System.out.printf("pulled over HTTP-FLV: %d of %d video and %d of %d audio packets over RTMP, %d video over "
              + "HTTP-FLV; on demand %d video packets from packet %d%n", overRtmp.video().size(),
          published.video().size(), overRtmp.audio().size(), published.audio().size(), overFlv.video().size(),
          overOnDemand.video().size(), onDemandFrom);
      assertThat(overOnDemand.video().size()).as("3 s on demand").isGreaterThanOrEqualTo(50);
      Await.until("the pulled stream ended here", Duration.ofSeconds(10), () -> !node.node().registry().isLive(pulled));
    }
  }

  @Test
  void aStreamServedByFfmpegsOwnHttpServerIsPulledPacketForPacket() throws Exception {
    int port = FreePorts.next();
    Path media = TestMedia.audioVideo(8, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    String url = "http://127.0.0.1:" + port + "/live/x.flv";
    try (TestNode node = TestNode.start("--relay.pull=live/ff=" + url, "--relay.reconnect-min=100ms",
        "--relay.reconnect-max=400ms")) {
      Path rtmpOut = Clients.output("ffmpeg-server-pulled-rtmp.framemd5");
      Process rtmpPlayer = processes.own(Clients.playToHashes("ffmpeg-server-pulled-rtmp", node.rtmpUrl("ff"), rtmpOut));
      node.awaitSubscribers("ff", 1);
      // ffmpeg waits for its one client before it reads its input: the pull gets the stream from its start.
      Process server = processes.own(Ffmpeg.startDebian("ffmpeg-http-server", List.of("-re", "-i", media.toString(),
          "-c", "copy", "-f", "flv", "-listen", "1", url)));
      node.awaitPublisher("ff");
      Ffmpeg.awaitSuccess("ffmpeg-http-server", server, 30);
      Ffmpeg.awaitSuccess("ffmpeg-server-pulled-rtmp", rtmpPlayer, 20);
      FrameHashes overRtmp = FrameHashes.parse(rtmpOut);
      System.out.printf("pulled from ffmpeg's HTTP server: %d of %d video and %d of %d audio packets over RTMP%n",
          overRtmp.video().size(), published.video().size(), overRtmp.audio().size(), published.audio().size());
      assertThat(overRtmp).as("every packet, equal and in order").isEqualTo(published);
    }
  }

  @Test
  void aSourceThatStopsSendingIsDroppedAfterTheConnectTimeoutAndPulledAgainWhenItComesBack() throws Exception {
    NodeProcess source = processes.own(NodeProcess.single("http-flv-stalled-source"));
    source.awaitLog("listening: ", Duration.ofSeconds(30));
    processes.own(Clients.publishLooping("http-flv-stalled-publisher", TestMedia.audioVideo(4, 1),
        source.rtmpUrl("cam")));
    source.awaitLog("publish \\S+ stream=live/cam", Duration.ofSeconds(15));
    Vertx vertx = Vertx.vertx();
    try (LogLines log = LogLines.capture();
        TestNode node = TestNode.start("--relay.pull=live/p=" + source.httpUrl("/live/cam.flv"),
            "--relay.connect-timeout=2s", "--relay.reconnect-min=100ms", "--relay.reconnect-max=400ms")) {
      RecordingPlayer viewer = RecordingPlayer.play(vertx, node.rtmpPort(), "p");
      Await.until("pulled video", Duration.ofSeconds(15), () -> viewer.keyframes() >= 2);

      // The source hangs with its connections open (SIGSTOP): no end, no error, only silence.
      source.suspend();
      long suspended = System.nanoTime();
      try {
        log.await("pull live/p from .*: the source sent nothing for \\d+ ms; again in", Duration.ofSeconds(10));
      } finally {
        source.resume();
      }
      long droppedAfterMs = (System.nanoTime() - suspended) / 1_000_000;
      long resumed = System.nanoTime();
      Await.until("pulled video after the source came back", Duration.ofSeconds(15), () -> viewer.video().stream()
          .anyMatch(frame -> frame.keyframe() && frame.receivedNanos() > resumed));
      long backAfterMs = (viewer.video().stream().filter(frame -> frame.receivedNanos() > resumed)
          .mapToLong(RecordingPlayer.Frame::receivedNanos).min().orElseThrow() - resumed) / 1_000_000;
      System.out.printf("stalled HTTP-FLV source: dropped %d ms after the SIGSTOP (connect-timeout 2000 ms), video"
          + " again %d ms after the SIGCONT; %s%n", droppedAfterMs, backAfterMs, log.matching("pull live/p from"));
      assertThat(droppedAfterMs).as("ms from the stall to the drop").isBetween(2000L, 4000L);
      assertThat(viewer.closedReason).as("the viewer's connection").isNull();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static JsonArray pulls(TestNode node) throws Exception {
    return new JsonObject(Http.get(node.httpUrl("/api/v1/relays")).body()).getJsonArray("pull");
  }

  private static JsonObject pull(TestNode node, int index) throws Exception {
    return pulls(node).getJsonObject(index);
  }
}
