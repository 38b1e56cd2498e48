package dev.streamedge.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.DashboardBrowser;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.OtherAddress;
import dev.streamedge.testing.Rtmpdump;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dashboard at {@code /}, driven in real headless Chromium: a stream appears when ffmpeg publishes,
 * its viewer counts follow RTMP, HLS and HTTP-FLV players as they join and leave, its graphs grow, its
 * players show moving video, its kick button disconnects a client, and from another address without the
 * token the page and its feed are refused. Screenshots at 1280×800 and a phone's 390×844 go to
 * {@code target/dashboard-*.png}.
 */
@Tag("browser")
class DashboardTest {

  private static final String STREAM = "live/dash";
  private static final String TOKEN = "dashboard-token-0123456789";

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void thePageFollowsAStreamItsViewersAndPlaysIt() throws Exception {
    // HLS sessions end 4 s after their player's last request (twice the 2 s target duration).
    try (TestNode node = TestNode.start("--hls-sessions.timeout=4s");
        DashboardBrowser page = DashboardBrowser.start("dashboard")) {
      assertThat(page.open(node.httpUrl("/"), 1280, 800)).isEqualTo(200);
      page.await("the live feed", Duration.ofSeconds(10), s -> "live".equals(s.path("feed").asText()));

      processes.own(Clients.publishLooping("dashboard-publisher", TestMedia.audioVideo(20, 1), node.rtmpUrl("dash")));
      node.awaitPublisher("dash");
      long listedMs = page.await("the stream listed", Duration.ofSeconds(10), s -> s.path("streams").has(STREAM));
      assertThat(listedMs).as("ms from the publish to the page listing the stream").isLessThanOrEqualTo(2000);
      page.await("its video codec and bitrate", Duration.ofSeconds(10),
          s -> page.stream(STREAM).path("video").asText().startsWith("H.264")
              && !page.stream(STREAM).path("bitrate").asText().equals("0 bit/s"));
      // The stream's thumbnail (thumbnail.width 320 by default), from Debian's ffmpeg on the PATH.
      page.await("its thumbnail", Duration.ofSeconds(15), s -> page.stream(STREAM).path("thumbnail").asInt() == 320);

      // Viewers join one protocol at a time, and the page counts each.
      Process rtmp = processes.own(Rtmpdump.play(node.rtmpUrl("dash"), Clients.output("dashboard-rtmp.flv"),
          "dashboard-rtmpdump.log"));
      awaitViewers(page, "rtmp", 1);
      Process flv = processes.own(Ffmpeg.start("dashboard-flv-player",
          List.of("-i", node.httpUrl("/live/dash.flv"), "-c", "copy", "-f", "null", "-")));
      awaitViewers(page, "http-flv", 1);
      Process hls = processes.own(Ffmpeg.start("dashboard-hls-player",
          List.of("-i", node.httpUrl("/hls/live/dash.m3u8"), "-c", "copy", "-f", "null", "-")));
      awaitViewers(page, "hls", 1);
      page.await("the viewers graph at 3", Duration.ofSeconds(5), s -> page.stream(STREAM).path("lastViewers").asInt() == 3);
      int pointsBefore = page.stream(STREAM).path("bitratePoints").asInt();

      // ...and leave.
      ChildProcesses.stop(rtmp);
      awaitViewers(page, "rtmp", 0);
      ChildProcesses.stop(flv);
      awaitViewers(page, "http-flv", 0);
      ChildProcesses.stop(hls);
      awaitViewers(page, "hls", 0);
      assertThat(page.stream(STREAM).path("bitratePoints").asInt()).as("the graphs grow with every snapshot")
          .isGreaterThan(pointsBefore + 3);

      // The page's own players: moving video, the latency they measure, counted as viewers.
      JsonNode hlsPlay = page.command("play", Duration.ofSeconds(40), "stream", STREAM, "kind", "hls");
      assertThat(hlsPlay.path("moving").asBoolean()).as("hls.js frames differ: " + hlsPlay).isTrue();
      awaitViewers(page, "hls", 1);
      page.await("the HLS latency", Duration.ofSeconds(10),
          s -> page.stream(STREAM).path("latency").asText().matches("HLS · latency [0-9.]+ s"));
      page.command("screenshot", Duration.ofSeconds(30), "path", shot("dashboard-1280x800.png"), "width", 1280,
          "height", 800);
      page.command("stop", Duration.ofSeconds(10), "stream", STREAM);

      JsonNode flvPlay = page.command("play", Duration.ofSeconds(40), "stream", STREAM, "kind", "flv");
      assertThat(flvPlay.path("moving").asBoolean()).as("mpegts.js frames differ: " + flvPlay).isTrue();
      awaitViewers(page, "http-flv", 1);
      JsonNode phone = page.command("screenshot", Duration.ofSeconds(30), "path", shot("dashboard-390x844.png"),
          "width", 390, "height", 844);
      assertThat(phone.path("horizontalOverflow").asInt()).as("nothing wider than a phone's screen").isLessThanOrEqualTo(0);
      assertThat(Files.size(Path.of("target", "dashboard-1280x800.png"))).isGreaterThan(10_000);
      assertThat(Files.size(Path.of("target", "dashboard-390x844.png"))).isGreaterThan(10_000);
      JsonNode dark = page.command("screenshot", Duration.ofSeconds(30), "path", shot("dashboard-1280x800-dark.png"),
          "width", 1280, "height", 800, "scheme", "dark");
      JsonNode light = page.command("screenshot", Duration.ofSeconds(30), "path", shot("dashboard-1280x800-light.png"),
          "width", 1280, "height", 800, "scheme", "light");
      assertThat(dark.path("background").asText()).as("dark follows the system").isEqualTo("rgb(17, 20, 24)");
      assertThat(light.path("background").asText()).isEqualTo("rgb(246, 247, 249)");
      page.command("stop", Duration.ofSeconds(10), "stream", STREAM);

      // The kick button: the API's kick, under the page's access.
      Process kicked = processes.own(Rtmpdump.play(node.rtmpUrl("dash"), Clients.output("dashboard-kicked.flv"),
          "dashboard-kicked.log"));
      awaitViewers(page, "rtmp", 1);
      int id = DashboardBrowser.clients(page.state(), "rtmp", "player").get(0);
      assertThat(page.command("kick", Duration.ofSeconds(10), "client", id).path("status").asInt()).isEqualTo(204);
      awaitViewers(page, "rtmp", 0);
      assertThat(kicked.waitFor(10, TimeUnit.SECONDS)).as("rtmpdump ends when kicked").isTrue();
    }
  }

  @Test
  void fromAnotherAddressWithoutTheTokenThePageAndItsFeedAreRefused() throws Exception {
    Optional<InetAddress> other = OtherAddress.nonLoopback();
    Assumptions.assumeTrue(other.isPresent(), "this host has no address but loopback");
    String host = other.get().getHostAddress();
    try (TestNode node = TestNode.start("--http.host=0.0.0.0");
        DashboardBrowser browser = DashboardBrowser.start("dashboard-refused")) {
      processes.own(Clients.publishLooping("dashboard-refused-publisher", TestMedia.audioVideo(20, 1),
          node.rtmpUrl("dash")));
      node.awaitPublisher("dash");
      JsonNode refused = browser.command("probe", Duration.ofSeconds(30), "url",
          "http://" + host + ":" + node.httpPort() + "/");
      assertThat(refused.path("page").asInt()).as("" + refused).isEqualTo(403);
      assertThat(refused.path("events").asInt()).isEqualTo(403);
      assertThat(refused.path("script").asInt()).isEqualTo(403);
      assertThat(refused.path("listsStreams").asBoolean()).isFalse();
      JsonNode local = browser.command("probe", Duration.ofSeconds(30), "url", node.httpUrl("/"));
      assertThat(local.path("page").asInt()).as("the same page on loopback: " + local).isEqualTo(200);
      assertThat(local.path("script").asInt()).isEqualTo(200);
    }
    try (TestNode node = TestNode.start("--api.token=" + TOKEN)) {
      // With a token, even loopback must carry it; a browser is asked for it as a Basic password.
      HttpResponse<String> none = Http.get(node.httpUrl("/"));
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"streamedge\"");
      assertThat(OtherAddress.statusFrom(other.get(), node.httpPort(), "/ui/events", null)).isEqualTo(401);
      String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + TOKEN).getBytes());
      HttpResponse<String> page = Http.get(node.httpUrl("/"), "Authorization", basic);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).as("no secret in the page").doesNotContain(TOKEN);
      assertThat(OtherAddress.statusFrom(other.get(), node.httpPort(), "/ui/app.js", basic)).isEqualTo(200);
      assertThat(OtherAddress.statusFrom(other.get(), node.httpPort(), "/ui/app.js", "Basic "
          + Base64.getEncoder().encodeToString("admin:wrong-token-0123456789".getBytes()))).isEqualTo(401);
    }
  }

  private static void awaitViewers(DashboardBrowser page, String protocol, int count) throws Exception {
    page.await(count + " " + protocol + " viewer(s)", Duration.ofSeconds(15),
        s -> DashboardBrowser.viewers(s, STREAM, protocol) == count);
  }

  private static String shot(String name) {
    return Path.of("target", name).toAbsolutePath().toString();
  }
}
