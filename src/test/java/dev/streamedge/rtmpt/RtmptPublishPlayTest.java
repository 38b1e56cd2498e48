package dev.streamedge.rtmpt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.FreePorts;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.Prometheus;
import dev.streamedge.testing.Rtmpdump;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RTMP tunnelled over HTTP with clients nobody here wrote: Debian's ffmpeg 5.1 publishes and plays
 * rtmpt:// on the HTTP port, rtmpdump (librtmp) plays it, and an RTMP player gets what an RTMPT
 * publisher sent; every player's packets are what was published, frame for frame.
 */
@Tag("e2e")
class RtmptPublishPlayTest {

  @RegisterExtension
  static final TestNode node = TestNode.extension();
  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void debianFfmpegPublishesAndPlaysOverRtmpt() throws Exception {
    Path media = TestMedia.audioVideo(4, 2);
    String key = "tunnel";
    Path out = Clients.output("rtmpt-player.framemd5");
    Process player = processes.own(Ffmpeg.startDebian("rtmpt-player", List.of("-i", node.rtmptUrl(key),
        "-map", "0", "-c", "copy", "-f", "framemd5", "-y", out.toString())));
    node.awaitSubscribers(key, 1);
    Process publisher = processes.own(publishTwiceOverRtmpt("rtmpt-publisher", media, key));
    Ffmpeg.awaitSuccess("rtmpt-publisher", publisher, 60);
    Ffmpeg.awaitSuccess("rtmpt-player", player, 20);
    assertFirstPassWhole(FrameHashes.ofFile(media), FrameHashes.parse(out));
    Prometheus scrape = node.scrape();
    assertThat(scrape.value("streamedge_received_bytes_total", "protocol", "rtmpt")).as("metrics name the variant")
        .isGreaterThan(300_000);
    assertThat(scrape.value("streamedge_sent_bytes_total", "protocol", "rtmpt")).isGreaterThan(300_000);
  }

  @Test
  void rtmpPlayerGetsWhatAnRtmptPublisherSent() throws Exception {
    Path media = TestMedia.audioVideo(4, 2);
    String key = "across";
    Path out = Clients.output("rtmpt-across-player.framemd5");
    Process player = processes.own(Clients.playToHashes("rtmpt-across-player", node.rtmpUrl(key), out));
    node.awaitSubscribers(key, 1);
    Process publisher = processes.own(publishTwiceOverRtmpt("rtmpt-across-publisher", media, key));
    Ffmpeg.awaitSuccess("rtmpt-across-publisher", publisher, 60);
    Ffmpeg.awaitSuccess("rtmpt-across-player", player, 20);
    assertFirstPassWhole(FrameHashes.ofFile(media), FrameHashes.parse(out));
  }

  /**
   * ffmpeg's RTMPT client holds up to {@code -rtmp_flush_interval} (10) packets before it posts them,
   * and on close it drops what it holds, FCUnpublish and deleteStream included (rtmphttp.c clears its
   * output buffer before {@code /close}): the end of what it publishes never reaches any server. So it
   * publishes the media twice, and the first pass, which it did send, must arrive whole.
   */
  private static Process publishTwiceOverRtmpt(String name, Path media, String key) throws Exception {
    return Ffmpeg.startDebian(name, List.of("-re", "-stream_loop", "1", "-i", media.toString(), "-c", "copy",
        "-f", "flv", node.rtmptUrl(key)));
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

  @Test
  void rtmpdumpPlaysOverRtmpt() throws Exception {
    Path media = TestMedia.audioVideo(6, 1);
    String key = "librtmp";
    Path saved = Clients.output("rtmpt-rtmpdump.flv");
    Process player = processes.own(Rtmpdump.play(node.rtmptUrl(key), saved, "rtmpt-rtmpdump.log"));
    node.awaitSubscribers(key, 1);
    Ffmpeg.awaitSuccess("rtmpt-rtmpdump-publisher",
        Clients.publish("rtmpt-rtmpdump-publisher", media, node.rtmpUrl(key)), 60);
    // librtmp ends a live download when the stream is unpublished.
    assertThat(player.waitFor(20, TimeUnit.SECONDS)).as("rtmpdump ended").isTrue();
    Path hashes = Clients.output("rtmpt-rtmpdump.framemd5");
    Ffmpeg.run("rtmpt-rtmpdump-framemd5", List.of("-i", saved.toString(), "-map", "0", "-c", "copy", "-f",
        "framemd5", "-y", hashes.toString()), 30);
    assertSame(FrameHashes.ofFile(media), FrameHashes.parse(hashes));
  }

  @Test
  void anExtraRtmptPortServesTheTunnelAlone() throws Exception {
    int extra = FreePorts.next();
    try (TestNode withPort = TestNode.start("--rtmpt.ports=" + extra)) {
      assertThat(withPort.node().rtmptPorts()).containsExactly(extra);
      Path media = TestMedia.audioVideo(4, 1);
      String key = "extra";
      Path saved = Clients.output("rtmpt-extra.flv");
      String url = "rtmpt://127.0.0.1:" + extra + "/live/" + key;
      Process player = processes.own(Rtmpdump.play(url, saved, "rtmpt-extra.log"));
      withPort.awaitSubscribers(key, 1);
      Ffmpeg.awaitSuccess("rtmpt-extra-publisher",
          Clients.publish("rtmpt-extra-publisher", media, withPort.rtmpUrl(key)), 60);
      assertThat(player.waitFor(20, TimeUnit.SECONDS)).as("rtmpdump ended").isTrue();
      assertThat(Http.status("http://127.0.0.1:" + extra + "/api/v1/streams")).as("the API on the extra port")
          .isEqualTo(404);
      Path hashes = Clients.output("rtmpt-extra.framemd5");
      Ffmpeg.run("rtmpt-extra-framemd5", List.of("-i", saved.toString(), "-map", "0", "-c", "copy", "-f",
          "framemd5", "-y", hashes.toString()), 30);
      assertSame(FrameHashes.ofFile(media), FrameHashes.parse(hashes));
    }
  }

  private static void assertSame(FrameHashes published, FrameHashes received) {
    assertThat(received.video()).as("video packets").isEqualTo(published.video());
    assertThat(received.audio()).as("audio packets").isEqualTo(published.audio());
  }
}
