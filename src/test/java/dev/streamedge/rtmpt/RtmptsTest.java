package dev.streamedge.rtmpt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.LogLines;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTTP listener over TLS (http.tls.cert, http.tls.key; a self-signed test certificate): Debian's
 * ffmpeg 5.1 publishes and plays rtmpts://, and ffmpeg 8 plays HTTP-FLV over https://, each getting
 * what was published, frame for frame.
 */
@Tag("e2e")
class RtmptsTest {

  @RegisterExtension
  static final TestNode node = TestNode.extension(TestNode.httpsOptions());
  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void debianFfmpegPublishesAndPlaysOverRtmpts() throws Exception {
    Path media = TestMedia.audioVideo(4, 2);
    String key = "tls-tunnel";
    Path out = Clients.output("rtmpts-player.framemd5");
    try (LogLines log = LogLines.capture()) {
      Process player = processes.own(Ffmpeg.startDebian("rtmpts-player", List.of("-i", node.rtmptsUrl(key),
          "-map", "0", "-c", "copy", "-f", "framemd5", "-y", out.toString())));
      node.awaitSubscribers(key, 1);
      // Twice: ffmpeg's RTMPT client drops its last packets when it closes (see RtmptPublishPlayTest).
      Process publisher = processes.own(Ffmpeg.startDebian("rtmpts-publisher", List.of("-re", "-stream_loop", "1",
          "-i", media.toString(), "-c", "copy", "-f", "flv", node.rtmptsUrl(key))));
      log.await("publish \\S+ stream=live/" + key + " protocol=rtmpts", Duration.ofSeconds(10));
      Ffmpeg.awaitSuccess("rtmpts-publisher", publisher, 60);
      Ffmpeg.awaitSuccess("rtmpts-player", player, 20);
      assertThat(log.contains("play \\S+ stream=live/" + key + " protocol=rtmpts")).isTrue();
    }
    FrameHashes published = FrameHashes.ofFile(media);
    FrameHashes received = FrameHashes.parse(out);
    assertFirstPassWhole("video", published.video(), received.video());
    assertFirstPassWhole("audio", published.audio(), received.audio());
    assertThat(node.scrape().value("streamedge_received_bytes_total", "protocol", "rtmpts")).isGreaterThan(300_000);
  }

  @Test
  void httpFlvPlaysOverHttps() throws Exception {
    Path media = TestMedia.audioVideo(6, 1);
    String key = "tls-flv";
    Path out = Clients.output("https-flv-player.framemd5");
    Process publisher = processes.own(Clients.publish("https-flv-publisher", media, node.rtmpUrl(key)));
    // An HTTP-FLV play of a stream that is not live is a 404: the player joins the live stream, at its
    // current GOP, and must get everything from there to the last packet.
    node.awaitPublisher(key);
    Process player = processes.own(Clients.playToHashes("https-flv-player", node.httpsUrl("/live/" + key + ".flv"),
        out));
    Ffmpeg.awaitSuccess("https-flv-publisher", publisher, 60);
    Ffmpeg.awaitSuccess("https-flv-player", player, 20);
    FrameHashes published = FrameHashes.ofFile(media);
    FrameHashes received = FrameHashes.parse(out);
    int videoStart = FrameHashes.assertContiguous("video", published.video(), received.video());
    int audioStart = FrameHashes.assertContiguous("audio", published.audio(), received.audio());
    assertThat(videoStart + received.video().size()).as("video to the last packet").isEqualTo(published.video().size());
    assertThat(audioStart + received.audio().size()).as("audio to the last packet").isEqualTo(published.audio().size());
    assertThat(received.video().size()).as("video packets received").isGreaterThan(published.video().size() / 2);
  }

  private static void assertFirstPassWhole(String what, List<String> published, List<String> received) {
    assertThat(received.size()).as(what + " packets received").isGreaterThan(published.size());
    assertThat(received.subList(0, published.size())).as(what + ", first pass").isEqualTo(published);
    List<String> second = received.subList(published.size(), received.size());
    assertThat(FrameHashes.assertContiguous(what + ", second pass", published, second)).isZero();
    assertThat(published.size() - second.size()).as(what + " packets of the second pass lost").isLessThanOrEqualTo(10);
  }
}
