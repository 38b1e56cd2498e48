package dev.streamedge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The browser harness itself, without the streamedge server: real headless Chromium plays a live HLS
 * stream that ffmpeg writes (hls.js) and an FLV stream paced in real time over HTTP (mpegts.js), both
 * from a plain Vert.x HTTP server on another origin than the page, with CORS headers; a broken URL
 * and a server without CORS headers fail quickly.
 */
@Tag("browser")
class BrowserHarnessTest {

  private static Vertx vertx;
  private static HttpServer server;
  private static Path hlsDir;
  private static Path flv;

  @BeforeAll
  static void startServer() throws Exception {
    flv = TestMedia.audioVideo(20, 1);
    hlsDir = Files.createDirectories(Path.of("target", "browser-hls"));
    try (var old = Files.list(hlsDir)) {
      for (Path file : old.toList()) {
        Files.delete(file);
      }
    }
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(BrowserHarnessTest::handle)
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  /** /hls/NAME: files of the HLS directory; /live.flv: the FLV paced in real time; /nocors.flv: no CORS. */
  private static void handle(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    String path = request.path();
    if (!path.equals("/nocors.flv")) {
      response.putHeader("Access-Control-Allow-Origin", "*");
    }
    if (path.startsWith("/hls/") && path.indexOf('/', 5) < 0 && !path.contains("..")) {
      Path file = hlsDir.resolve(path.substring(5));
      if (!Files.isRegularFile(file)) {
        response.setStatusCode(404).end();
        return;
      }
      response.putHeader("Content-Type", path.endsWith(".m3u8") ? "application/vnd.apple.mpegurl" : "video/mp2t")
          .putHeader("Cache-Control", "no-cache")
          .sendFile(file.toString());
    } else if (path.equals("/live.flv") || path.equals("/nocors.flv")) {
      sendPaced(response);
    } else {
      response.setStatusCode(404).end();
    }
  }

  /**
   * Sends the FLV chunked, each tag when the clock reaches its timestamp (plus half a second of lead),
   * as a live HTTP-FLV server would.
   */
  private static void sendPaced(HttpServerResponse response) {
    Buffer file;
    try {
      file = Buffer.buffer(Files.readAllBytes(flv));
    } catch (Exception e) {
      response.setStatusCode(500).end();
      return;
    }
    response.setChunked(true).putHeader("Content-Type", "video/x-flv").putHeader("Cache-Control", "no-cache");
    int headerLength = (int) file.getUnsignedInt(5) + 4; // FLV header, then PreviousTagSize0
    response.write(file.getBuffer(0, headerLength));
    long start = System.nanoTime();
    int[] position = {headerLength};
    long timer = vertx.setPeriodic(20, id -> {
      long now = (System.nanoTime() - start) / 1_000_000 + 500;
      while (position[0] + 11 <= file.length()) {
        int p = position[0];
        int size = file.getUnsignedMedium(p + 1);
        long timestamp = file.getUnsignedMedium(p + 4) | ((long) file.getUnsignedByte(p + 7) << 24);
        if (timestamp > now) {
          return;
        }
        int end = p + 11 + size + 4;
        response.write(file.getBuffer(p, Math.min(end, file.length())));
        position[0] = end;
      }
      vertx.cancelTimer(id);
      response.end();
    });
    response.closeHandler(v -> vertx.cancelTimer(timer));
  }

  @Test
  void hlsJsPlaysALiveHlsStream() throws Exception {
    try (ChildProcesses processes = new ChildProcesses()) {
      processes.own(Ffmpeg.start("browser-hls", List.of(
          "-re", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
          "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
          "-t", "30",
          "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "main",
          "-g", "50", "-keyint_min", "50", "-sc_threshold", "0",
          "-c:a", "aac", "-b:a", "96k", "-ac", "2",
          "-f", "hls", "-hls_time", "2", "-hls_list_size", "6", "-hls_flags", "delete_segments+temp_file",
          hlsDir.resolve("index.m3u8").toString())));
      Await.until("the first HLS segment", Duration.ofSeconds(20),
          () -> Files.exists(hlsDir.resolve("index.m3u8")));
      BrowserPlayback.Result result =
          BrowserPlayback.play("harness-hls", BrowserPlayback.HLS, url("/hls/index.m3u8"), 5, Duration.ofSeconds(40));
      assertThat(result.ok()).as(result.describe()).isTrue();
      assertThat(result.playedSeconds()).as(result.describe()).isGreaterThanOrEqualTo(5);
      assertThat(result.decodedFrames()).as(result.describe()).isGreaterThan(100);
      assertThat(result.fatalErrors()).as(result.describe()).isEmpty();
      assertThat(result.videoWidth()).as(result.describe()).isEqualTo(640);
    }
  }

  @Test
  void mpegtsJsPlaysHttpFlvPacedInRealTime() {
    BrowserPlayback.Result result =
        BrowserPlayback.play("harness-flv", BrowserPlayback.MPEGTS, url("/live.flv"), 5, Duration.ofSeconds(40));
    assertThat(result.ok()).as(result.describe()).isTrue();
    assertThat(result.playedSeconds()).as(result.describe()).isGreaterThanOrEqualTo(5);
    assertThat(result.decodedFrames()).as(result.describe()).isGreaterThan(100);
    assertThat(result.fatalErrors()).as(result.describe()).isEmpty();
    // Paced in real time: 5 s of media cannot have played in much less than 5 s.
    assertThat(result.elapsedMs()).as(result.describe()).isGreaterThan(4_500);
  }

  @Test
  void aMissingStreamFailsQuicklyWithAFatalError() {
    for (String player : List.of(BrowserPlayback.HLS, BrowserPlayback.MPEGTS)) {
      BrowserPlayback.Result result = BrowserPlayback.play("harness-missing-" + player, player,
          url("/hls/missing.m3u8"), 10, Duration.ofSeconds(30));
      assertThat(result.ok()).as(result.describe()).isFalse();
      assertThat(result.exitCode()).as(result.describe()).isEqualTo(1);
      assertThat(result.fatalErrors()).as(result.describe()).anyMatch(e -> e.contains("404"));
      assertThat(result.elapsedMs()).as(result.describe()).isLessThan(10_000);
      assertThat(result.screenshot()).as("screenshot on failure").isNotNull();
    }
  }

  @Test
  void aStreamWithoutCorsHeadersFailsInTheBrowser() throws Exception {
    BrowserPlayback.Result result = BrowserPlayback.play("harness-nocors", BrowserPlayback.MPEGTS,
        url("/nocors.flv"), 5, Duration.ofSeconds(30));
    assertThat(result.ok()).as(result.describe()).isFalse();
    assertThat(result.fatalErrors()).as(result.describe()).isNotEmpty();
    assertThat(result.decodedFrames()).as(result.describe()).isZero();
    assertThat(Files.readString(result.log())).as("the page console names the cause").contains("CORS policy");
  }
}
