package dev.streamedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.BrowserPlayback;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real headless Chromium plays what streamedge serves: hls.js from the nginx-rtmp HLS URL (MPEG-TS), over
 * HTTP and HTTPS, and from the fMP4 variant's URL, and mpegts.js from the Node-Media-Server HTTP-FLV URL
 * and over WebSocket (ws:// and wss://), from a page on another origin (so CORS is exercised).
 */
@Tag("browser")
class BrowserPlaybackTest {

  @RegisterExtension
  static final TestNode node = TestNode.extension(TestNode.httpsOptions());
  @RegisterExtension
  static final ChildProcesses processes = new ChildProcesses();

  @BeforeAll
  static void publish() throws Exception {
    processes.own(Clients.publishLooping("browser-publisher", TestMedia.audioVideo(20, 1), node.rtmpUrl("browser")));
    node.awaitPublisher("browser");
  }

  @Test
  void hlsJsPlaysTheLiveHlsStreamPastSixSeconds() throws Exception {
    BrowserPlayback.Result result = BrowserPlayback.play("server-hls", BrowserPlayback.HLS,
        node.httpUrl("/hls/browser.m3u8"), 6, Duration.ofSeconds(45));
    assertThat(result.ok()).as(result.describe()).isTrue();
    assertThat(result.decodedFrames()).as(result.describe()).isGreaterThan(120);
    assertThat(result.fatalErrors()).isEmpty();
  }

  @Test
  void hlsJsPlaysOverHttps() throws Exception {
    // On BoringSSL's engine, the default where it loads (TlsEnginesTest).
    BrowserPlayback.Result result = BrowserPlayback.play("server-hls-https", BrowserPlayback.HLS,
        node.httpsUrl("/hls/browser.m3u8"), 6, Duration.ofSeconds(45));
    assertThat(result.ok()).as(result.describe()).isTrue();
    assertThat(result.decodedFrames()).as(result.describe()).isGreaterThan(120);
  }

  @Test
  void mpegtsJsPlaysWebSocketFlvOverTls() throws Exception {
    BrowserPlayback.Result result = BrowserPlayback.play("server-wss-flv", BrowserPlayback.MPEGTS,
        node.httpsUrl("/live/browser.flv").replace("https://", "wss://"), 6, Duration.ofSeconds(40));
    assertThat(result.ok()).as(result.describe()).isTrue();
    assertThat(result.decodedFrames()).as(result.describe()).isGreaterThan(120);
  }

  @Test
  void hlsJsPlaysTheFmp4VariantPastSixSeconds() throws Exception {
    String url = node.httpUrl("/hls/live/browser/fmp4.m3u8");
    // hls.js starts three segments behind the live edge when it can; with fewer it plays at the edge
    // and waits for each new segment.
    Await.until("three fMP4 segments", Duration.ofSeconds(20), () -> Http.get(url).body().split("#EXTINF:").length > 3);
    BrowserPlayback.Result result = BrowserPlayback.play("server-hls-fmp4", BrowserPlayback.HLS, url, 6,
        Duration.ofSeconds(45));
    assertThat(result.ok()).as(result.describe()).isTrue();
    assertThat(result.decodedFrames()).as(result.describe()).isGreaterThan(120);
    assertThat(result.fatalErrors()).isEmpty();
  }

  @Test
  void hlsJsPlaysAv1AndOpusFromTheFmp4Variant() throws Exception {
    // Published by ffmpeg 8 over Enhanced RTMP; Chromium's MSE plays av01 and Opus in MP4.
    processes.own(Clients.publishLooping("browser-av1-publisher", TestMedia.enhanced("av1", "opus", 10),
        node.rtmpUrl("av1")));
    node.awaitPublisher("av1");
    String url = node.httpUrl("/hls/live/av1/fmp4.m3u8");
    Await.until("three fMP4 segments", Duration.ofSeconds(20), () -> Http.get(url).body().split("#EXTINF:").length > 3);
    BrowserPlayback.Result result = BrowserPlayback.play("server-hls-fmp4-av1", BrowserPlayback.HLS, url, 6,
        Duration.ofSeconds(45));
    assertThat(result.ok()).as(result.describe()).isTrue();
    assertThat(result.decodedFrames()).as(result.describe()).isGreaterThan(120);
    assertThat(result.fatalErrors()).isEmpty();
  }

  @Test
  void mpegtsJsPlaysHttpFlvPastSixSeconds() throws Exception {
    BrowserPlayback.Result result = BrowserPlayback.play("server-http-flv", BrowserPlayback.MPEGTS,
        node.httpUrl("/live/browser.flv"), 6, Duration.ofSeconds(40));
    assertThat(result.ok()).as(result.describe()).isTrue();
    assertThat(result.decodedFrames()).as(result.describe()).isGreaterThan(120);
  }

  @Test
  void mpegtsJsPlaysWebSocketFlvPastSixSeconds() throws Exception {
    BrowserPlayback.Result result = BrowserPlayback.play("server-ws-flv", BrowserPlayback.MPEGTS,
        node.httpUrl("/live/browser.flv").replace("http://", "ws://"), 6, Duration.ofSeconds(40));
    assertThat(result.ok()).as(result.describe()).isTrue();
    assertThat(result.decodedFrames()).as(result.describe()).isGreaterThan(120);
    // Chromium offers permessage-deflate; deflating FLV per player costs CPU and a zlib stream each and
    // saves nothing, so the server agrees to no extension.
    assertThat(new ObjectMapper().readTree(result.json()).path("webSocketExtensions").toString())
        .as(result.describe()).isEqualTo("[\"\"]");
  }
}
