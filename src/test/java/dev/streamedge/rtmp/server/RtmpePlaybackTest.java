package dev.streamedge.rtmp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.Rtmpdump;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RTMPE on the RTMP port with clients nobody here wrote: ffmpeg 8 (libavformat's rtmpe, OpenSSL
 * Diffie-Hellman) publishes and plays, rtmpdump (librtmp) plays, plain RTMP and RTMPE mix on one
 * stream, and what every player gets is what was published, frame for frame. The API and the metrics
 * name the variant.
 */
@Tag("e2e")
class RtmpePlaybackTest {

  @RegisterExtension
  static final TestNode node = TestNode.extension();
  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void ffmpegPublishesOverRtmpeAndPlayersOverRtmpeAndRtmpReceiveEveryPacket() throws Exception {
    Path media = TestMedia.audioVideo(4, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    Path overRtmpe = Clients.output("rtmpe-pub-rtmpe-player.framemd5");
    Path overRtmp = Clients.output("rtmpe-pub-rtmp-player.framemd5");
    Process rtmpePlayer = processes.own(Clients.playToHashes("rtmpe-pub-rtmpe-player", node.rtmpeUrl("e2e"), overRtmpe));
    Process rtmpPlayer = processes.own(Clients.playToHashes("rtmpe-pub-rtmp-player", node.rtmpUrl("e2e"), overRtmp));
    node.awaitSubscribers("e2e", 2);
    Process publisher = processes.own(Clients.publish("rtmpe-publisher", media, node.rtmpeUrl("e2e")));
    node.awaitPublisher("e2e");

    // The API and the metrics name the variant.
    assertThat(clientProtocols("e2e")).containsExactlyInAnyOrder("rtmpe/publisher", "rtmpe/player", "rtmp/player");
    assertThat(node.scrape().value("streamedge_publishers", "protocol", "rtmpe")).isEqualTo(1.0);
    assertThat(node.scrape().value("streamedge_players", "protocol", "rtmpe")).isEqualTo(1.0);

    Ffmpeg.awaitSuccess("rtmpe-publisher", publisher, 60);
    Ffmpeg.awaitSuccess("rtmpe-pub-rtmpe-player", rtmpePlayer, 20);
    Ffmpeg.awaitSuccess("rtmpe-pub-rtmp-player", rtmpPlayer, 20);
    assertReceivedAll(published, overRtmpe);
    assertReceivedAll(published, overRtmp);
  }

  @Test
  void rtmpdumpAndFfmpegPlayOverRtmpeWhatIsPublishedOverRtmp() throws Exception {
    Path media = TestMedia.audioVideo(4, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    Path ffmpegOut = Clients.output("rtmp-pub-rtmpe-player.framemd5");
    Path saved = Clients.output("rtmpdump-rtmpe.flv");
    Process ffmpegPlayer = processes.own(Clients.playToHashes("rtmp-pub-rtmpe-player", node.rtmpeUrl("plain"), ffmpegOut));
    Process rtmpdump = processes.own(Rtmpdump.play(node.rtmpeUrl("plain"), saved, "rtmpdump-rtmpe.log"));
    node.awaitSubscribers("plain", 2);
    Ffmpeg.awaitSuccess("rtmp-publisher", Clients.publish("rtmp-publisher", media, node.rtmpUrl("plain")), 60);
    Ffmpeg.awaitSuccess("rtmp-pub-rtmpe-player", ffmpegPlayer, 20);
    // librtmp ends a live download when the stream is unpublished.
    assertThat(rtmpdump.waitFor(20, TimeUnit.SECONDS)).as("rtmpdump ended").isTrue();

    assertReceivedAll(published, ffmpegOut);
    Path hashes = Clients.output("rtmpdump-rtmpe.framemd5");
    Ffmpeg.run("rtmpdump-rtmpe-framemd5", List.of("-i", saved.toString(), "-map", "0", "-c", "copy", "-f", "framemd5",
        "-y", hashes.toString()), 30);
    assertReceivedAll(published, hashes);
  }

  private static void assertReceivedAll(FrameHashes published, Path framemd5) throws Exception {
    FrameHashes received = FrameHashes.parse(framemd5);
    assertThat(received.video()).as(framemd5 + " video").isEqualTo(published.video());
    assertThat(received.audio()).as(framemd5 + " audio").isEqualTo(published.audio());
  }

  /** "protocol/role" of each client of the API's list on {@code key}. */
  private static List<String> clientProtocols(String key) throws Exception {
    JsonArray clients = new JsonObject(Http.get(node.httpUrl("/api/v1/clients")).body()).getJsonArray("clients");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < clients.size(); i++) {
      JsonObject client = clients.getJsonObject(i);
      JsonObject stream = client.getJsonObject("stream");
      if (stream != null && key.equals(stream.getString("key"))) {
        out.add(client.getString("protocol") + "/" + client.getString("role"));
      }
    }
    return out;
  }
}
