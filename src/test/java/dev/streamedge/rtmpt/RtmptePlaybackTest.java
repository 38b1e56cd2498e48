package dev.streamedge.rtmpt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.LogLines;
import dev.streamedge.testing.Prometheus;
import dev.streamedge.testing.Rtmpdump;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RTMPTE, RTMPE inside the RTMPT tunnel on the HTTP port, with clients nobody here wrote: ffmpeg 8
 * (libavformat's rtmpcrypt over rtmphttp) publishes and plays rtmpte://, rtmpdump (librtmp) plays it,
 * an RTMPTE viewer and a plain RTMP viewer share a stream, and every player gets what was published,
 * frame for frame. Metrics, the API and the log name the variant rtmpte; rtmp.rtmpe.enabled: false refuses
 * it at its first byte.
 */
@Tag("e2e")
class RtmptePlaybackTest {

  @RegisterExtension
  static final TestNode node = TestNode.extension();
  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void ffmpegPublishesOverRtmpteAndRtmpteAndRtmpPlayersReceiveEveryPacket() throws Exception {
    Path media = TestMedia.audioVideo(3, 1);
    String key = "te";
    Path overRtmpte = Clients.output("rtmpte-player.framemd5");
    Path overRtmp = Clients.output("rtmpte-rtmp-player.framemd5");
    try (LogLines log = LogLines.capture()) {
      Process rtmptePlayer = processes.own(Clients.playToHashes("rtmpte-player", node.rtmpteUrl(key), overRtmpte));
      Process rtmpPlayer = processes.own(Clients.playToHashes("rtmpte-rtmp-player", node.rtmpUrl(key), overRtmp));
      node.awaitSubscribers(key, 2);
      // ffmpeg's RTMPT client drops what it holds on close (see RtmptPublishPlayTest): two passes.
      Process publisher = processes.own(Ffmpeg.start("rtmpte-publisher", List.of("-re", "-stream_loop", "1", "-i",
          media.toString(), "-c", "copy", "-f", "flv", node.rtmpteUrl(key))));
      node.awaitPublisher(key);

      assertThat(clientProtocols(key)).as("the API's clients of the stream")
          .containsExactlyInAnyOrder("rtmpte/publisher", "rtmpte/player", "rtmp/player");
      Prometheus live = node.scrape();
      assertThat(live.value("streamedge_publishers", "protocol", "rtmpte")).isEqualTo(1.0);
      assertThat(live.value("streamedge_players", "protocol", "rtmpte")).isEqualTo(1.0);
      assertThat(live.value("streamedge_publishers", "protocol", "rtmpt")).as("not counted as plain rtmpt").isZero();
      log.await("publish \\S+ stream=live/" + key + " protocol=rtmpte", Duration.ofSeconds(5));
      log.await("play \\S+ stream=live/" + key + " protocol=rtmpte", Duration.ofSeconds(5));

      Ffmpeg.awaitSuccess("rtmpte-publisher", publisher, 60);
      Ffmpeg.awaitSuccess("rtmpte-player", rtmptePlayer, 20);
      Ffmpeg.awaitSuccess("rtmpte-rtmp-player", rtmpPlayer, 20);
      log.await("disconnect \\S+ protocol=rtmpte app=live ", Duration.ofSeconds(5));
    }
    FrameHashes published = FrameHashes.ofFile(media);
    assertFirstPassWhole(published, FrameHashes.parse(overRtmpte));
    assertFirstPassWhole(published, FrameHashes.parse(overRtmp));
    Prometheus scrape = node.scrape();
    assertThat(scrape.value("streamedge_received_bytes_total", "protocol", "rtmpte")).as("bytes in, rtmpte")
        .isGreaterThan(150_000);
    assertThat(scrape.value("streamedge_sent_bytes_total", "protocol", "rtmpte")).as("bytes out, rtmpte")
        .isGreaterThan(150_000);
  }

  @Test
  void rtmpdumpPlaysOverRtmpteWhatIsPublishedOverRtmp() throws Exception {
    Path media = TestMedia.audioVideo(4, 1);
    String key = "librtmp-te";
    Path saved = Clients.output("rtmpte-rtmpdump.flv");
    Process player = processes.own(Rtmpdump.play(node.rtmpteUrl(key), saved, "rtmpte-rtmpdump.log"));
    node.awaitSubscribers(key, 1);
    Ffmpeg.awaitSuccess("rtmpte-rtmpdump-publisher",
        Clients.publish("rtmpte-rtmpdump-publisher", media, node.rtmpUrl(key)), 60);
    // librtmp ends a live download when the stream is unpublished.
    assertThat(player.waitFor(20, TimeUnit.SECONDS)).as("rtmpdump ended").isTrue();
    Path hashes = Clients.output("rtmpte-rtmpdump.framemd5");
    Ffmpeg.run("rtmpte-rtmpdump-framemd5", List.of("-i", saved.toString(), "-map", "0", "-c", "copy", "-f",
        "framemd5", "-y", hashes.toString()), 30);
    FrameHashes published = FrameHashes.ofFile(media);
    FrameHashes received = FrameHashes.parse(hashes);
    assertThat(received.video()).as("video packets").isEqualTo(published.video());
    assertThat(received.audio()).as("audio packets").isEqualTo(published.audio());
  }

  @Test
  void withRtmpeTurnedOffTheTunnelRefusesRtmpteAtItsFirstByteWithOneLine() throws Exception {
    try (TestNode off = TestNode.start("--rtmp.rtmpe.enabled=false"); LogLines log = LogLines.capture()) {
      Process player = processes.own(Ffmpeg.start("rtmpte-refused", List.of("-i", off.rtmpteUrl("off"), "-f", "null",
          "-")));
      assertThat(player.waitFor(20, TimeUnit.SECONDS)).as("ffmpeg gave up").isTrue();
      assertThat(player.exitValue()).as("ffmpeg's exit status").isNotZero();
      log.await("disconnect \\S+ protocol=rtmpt app= reason=client asked for RTMP version 6 \\(RTMPE\\) not accepted here",
          Duration.ofSeconds(5));
      assertThat(log.count("protocol=rtmpt")).as("log lines about the refused session").isEqualTo(1);
      Await.until("the refused session gone", Duration.ofSeconds(5), () -> off.rtmptSessions() == 0);
    }
  }

  /** The first pass whole and in order, then the second pass contiguous, short of at most ten packets. */
  private static void assertFirstPassWhole(FrameHashes published, FrameHashes received) {
    assertPasses("video", published.video(), received.video());
    assertPasses("audio", published.audio(), received.audio());
  }

  private static void assertPasses(String what, List<String> published, List<String> received) {
    assertThat(received.size()).as(what + " packets received").isGreaterThan(published.size());
    assertThat(received.subList(0, published.size())).as(what + ", first pass").isEqualTo(published);
    List<String> second = received.subList(published.size(), received.size());
    assertThat(FrameHashes.assertContiguous(what + ", second pass", published, second)).isZero();
    assertThat(published.size() - second.size()).as(what + " packets of the second pass lost").isLessThanOrEqualTo(10);
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
