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
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import dev.streamedge.stream.StreamKey;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A static pull from nginx-rtmp (Debian's nginx with libnginx-mod-rtmp): ffmpeg publishes to
 * nginx-rtmp, streamedge pulls it into one of its streams, and it plays over RTMP, HTTP-FLV and HLS
 * with the published packets.
 */
@Tag("e2e")
class PullRelayTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void aStreamPulledFromNginxRtmpPlaysOverRtmpHttpFlvAndHls() throws Exception {
    int port = FreePorts.next();
    processes.own(NginxRtmp.start("pull", port));
    Path media = TestMedia.audioVideo(8, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    try (TestNode node = TestNode.start("--relay.pull=live/pulled=" + NginxRtmp.url(port, "source"))) {
      Await.until("the pull playing the idle source", Duration.ofSeconds(10),
          () -> "playing".equals(pull(node).getString("state")));
      assertThat(node.node().registry().isLive(new StreamKey("live", "pulled")))
          .as("an idle source makes no live stream").isFalse();
      Path rtmpOut = Clients.output("pulled-rtmp.framemd5");
      Process rtmpPlayer = processes.own(Clients.playToHashes("pulled-rtmp", node.rtmpUrl("pulled"), rtmpOut));
      node.awaitSubscribers("pulled", 1);

      Process publisher = processes.own(Clients.publish("pull-publisher", media, NginxRtmp.url(port, "source")));
      node.awaitPublisher("pulled");
      Path flvOut = Clients.output("pulled-flv.framemd5");
      Process flvPlayer = processes.own(Clients.playToHashes("pulled-flv", node.httpUrl("/live/pulled.flv"), flvOut));
      Await.until("an HLS playlist of the pulled stream", Duration.ofSeconds(15),
          () -> Http.get(node.httpUrl("/hls/live/pulled.m3u8")).statusCode() == 200);
      assertThat(pull(node).getString("state")).isEqualTo("publishing");

      Ffmpeg.awaitSuccess("pull-publisher", publisher, 30);
      // nginx-rtmp tells the pull NetStream.Play.UnpublishNotify; the stream here ends, and its players.
      Ffmpeg.awaitSuccess("pulled-rtmp", rtmpPlayer, 20);
      Ffmpeg.awaitSuccess("pulled-flv", flvPlayer, 20);
      FrameHashes overRtmp = FrameHashes.parse(rtmpOut);
      FrameHashes overFlv = FrameHashes.parse(flvOut);
      FrameHashes.assertContiguous("video over RTMP", published.video(), overRtmp.video());
      FrameHashes.assertContiguous("audio over RTMP", published.audio(), overRtmp.audio());
      FrameHashes.assertContiguous("video over HTTP-FLV", published.video(), overFlv.video());
      System.out.printf("pulled: %d of %d video packets over RTMP, %d over HTTP-FLV%n", overRtmp.video().size(),
          published.video().size(), overFlv.video().size());
      // The RTMP player waited for the stream: it gets it from nginx-rtmp's first packet on.
      assertThat(overRtmp.video().size()).as("video over RTMP").isGreaterThan(published.video().size() * 9 / 10);
      Await.until("the pulled stream ended here", Duration.ofSeconds(10),
          () -> !node.node().registry().isLive(new StreamKey("live", "pulled")));
      assertThat(pull(node).getLong("reconnects")).isZero();
    }
  }

  private static JsonObject pull(TestNode node) throws Exception {
    return new JsonObject(Http.get(node.httpUrl("/api/v1/relays")).body()).getJsonArray("pull").getJsonObject(0);
  }
}
