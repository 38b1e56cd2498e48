package dev.streamedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Http;
import dev.streamedge.testing.LogLines;
import dev.streamedge.testing.TestNode;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Unknown streams, bad names and path tricks get the right status and touch nothing. */
@Tag("e2e")
class HttpPathsTest {

  @RegisterExtension
  static final TestNode node = TestNode.extension("--hls.first-segment-wait=0");

  private static HttpResponse<String> get(String rawPath) throws Exception {
    return Http.get(node.httpUrl(rawPath));
  }

  @Test
  void unknownStreamsAre404() throws Exception {
    assertThat(get("/hls/nosuch.m3u8").statusCode()).isEqualTo(404);
    assertThat(get("/hls/live/nosuch.m3u8").statusCode()).isEqualTo(404);
    assertThat(get("/hls/nosuch/12.ts").statusCode()).isEqualTo(404);
    assertThat(get("/hls/other/nosuch/12.ts").statusCode()).isEqualTo(404);
    assertThat(get("/live/nosuch.flv").statusCode()).isEqualTo(404);
    assertThat(get("/nosuch").statusCode()).isEqualTo(404);
    assertThat(get("/").statusCode()).as("the dashboard (docs/dashboard.md)").isEqualTo(200);
    assertThat(get("/hls/").statusCode()).isEqualTo(404);
  }

  @Test
  void unknownStreamIsStill404WithCorsSoBrowsersCanReadIt() throws Exception {
    HttpResponse<String> response = get("/hls/nosuch.m3u8");
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
  }

  @Test
  void pathTricksNeverReachAStream() throws Exception {
    for (String path : new String[] {"/hls/..%2F..%2Fetc%2Fpasswd.m3u8", "/hls/%2e%2e/x.m3u8", "/hls/a%2Fb.m3u8",
        "/live/..%2Fx.flv", "/hls/x/y/z/w.m3u8", "/hls/x/notanumber.ts", "/hls/x/-1.ts",
        "/hls/x/1234567890123456789012.ts", "/%00/x.flv", "/live/x%00.flv"}) {
      assertThat(get(path).statusCode()).as(path).isIn(400, 404);
    }
  }

  @Test
  void aBrokenPercentEscapeInTheQueryIs400CountedAndLoggedOnceWithoutAStack() throws Exception {
    double before = node.scrape().value("streamedge_connections_refused_total", "reason", "bad-input");
    String[] targets = {"/live/test.flv?sign=%ZZ", "/api/v1/streams/live/test?x=%", "/control/drop/client?app=%G1"};
    try (LogLines logs = LogLines.capture()) {
      for (String target : targets) {
        // Sent as written: Java's HTTP client refuses a broken escape.
        assertThat(Http.rawGet(node.node().httpPort(), target)).as(target).startsWith("HTTP/1.1 400 ")
            .endsWith("malformed query\n");
      }
      assertThat(logs.matching("Unhandled exception")).isEmpty();
      assertThat(logs.matching("reason=malformed query")).hasSize(targets.length)
          .allSatisfy(line -> assertThat(line).doesNotContain("%ZZ", "sign="));
    }
    assertThat(node.scrape().value("streamedge_connections_refused_total", "reason", "bad-input"))
        .isEqualTo(before + targets.length);
  }

  @Test
  void absurdlyLongPathsAreRefused() throws Exception {
    assertThat(get("/hls/" + "a".repeat(200) + ".m3u8").statusCode()).isEqualTo(400);
    // Vert.x refuses a request line over its limit before routing (431 Request Header Fields Too Large).
    assertThat(get("/hls/" + "a".repeat(10_000) + ".m3u8").statusCode()).isIn(414, 431);
  }

  @Test
  void garbageInsteadOfARequestIsAnswered400ClosedAndCounted() throws Exception {
    double before = node.scrape().value("streamedge_connections_refused_total", "reason", "bad-input");
    byte[] garbage = new byte[2048];
    new Random(7).nextBytes(garbage);
    for (byte[] request : new byte[][] {garbage, "GET\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
        ("GET / HTTP/1.1\r\nX-Long: " + "a".repeat(10_000) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII)}) {
      try (Socket socket = new Socket("127.0.0.1", node.node().httpPort())) {
        socket.setSoTimeout(5000);
        socket.getOutputStream().write(request);
        String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(answer).as("the answer, then the close").matches("(?s)HTTP/\\S+ [45]\\d\\d .*");
      }
    }
    assertThat(node.scrape().value("streamedge_connections_refused_total", "reason", "bad-input"))
        .as("requests that could not be parsed, counted").isEqualTo(before + 3);
  }

  @Test
  void corsPreflightIsAnswered() throws Exception {
    HttpResponse<String> response = Http.send(Http.request(node.httpUrl("/hls/x.m3u8"),
            "Origin", "https://player.example", "Access-Control-Request-Method", "GET",
            "Access-Control-Request-Headers", "range")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(response.headers().firstValue("Access-Control-Allow-Headers")).hasValue("Range");
  }
}
