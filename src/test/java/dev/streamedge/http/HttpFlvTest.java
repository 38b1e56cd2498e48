package dev.streamedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.rtmp.client.RtmpPublishClient;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTP-FLV ({@code /live/<key>.flv}, the Node-Media-Server URL) and WebSocket-FLV on the same path:
 * what ffmpeg reads is what was published, frame for frame, from the GOP-cache keyframe on.
 */
@Tag("e2e")
class HttpFlvTest {

  @RegisterExtension
  static final TestNode node = TestNode.extension();
  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void ffmpegReadingHttpFlvGetsEveryPacketFromTheCachedKeyframeToTheEnd() throws Exception {
    assertHttpFlvPlaysToTheEnd(node, "hflv", TestMedia.audioVideo(8, 1));
  }

  @Test
  void httpFlvOfANodeThatMergesWritesGetsEveryPacket() throws Exception {
    try (TestNode merging = TestNode.start("--player.merge-write=100ms")) {
      assertHttpFlvPlaysToTheEnd(merging, "mflv", TestMedia.audioVideo(6, 1));
    }
  }

  /** ffmpeg plays the stream over HTTP-FLV from the cached keyframe until the publisher leaves. */
  private void assertHttpFlvPlaysToTheEnd(TestNode server, String key, Path media) throws Exception {
    FrameHashes published = FrameHashes.ofFile(media);
    Process publisher = processes.own(Clients.publish(key + "-publisher", media, server.rtmpUrl(key)));
    server.awaitPublisher(key);
    Path out = Clients.output(key + ".framemd5");
    Process player = processes.own(Clients.playToHashes(key + "-player", server.httpUrl("/live/" + key + ".flv"),
        out));
    Ffmpeg.awaitSuccess(key + "-publisher", publisher, 60);
    // The response ends when the publisher leaves.
    Ffmpeg.awaitSuccess(key + "-player", player, 20);
    FrameHashes.assertReceivedToTheEnd("HTTP-FLV " + key, published, FrameHashes.parse(out), 100);
  }

  @Test
  void anHttp11ViewerGetsTheFlvUnframedUntilTheConnectionClosesEvenBehindAPipelinedRequest() throws Exception {
    // The first request's response goes out through Vert.x as usual; only the FLV one loses its framing.
    byte[] flv = playOverRawSocket("rawflv", "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n"
        + "GET /live/rawflv.flv HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 200", true);
    assertThat(flv).startsWith('F', 'L', 'V', 1);
  }

  @Test
  void anHttp10ViewerGetsTheFlvUntilTheConnectionCloses() throws Exception {
    byte[] flv = playOverRawSocket("rawflv10", "GET /live/rawflv10.flv HTTP/1.0\r\n\r\n", "HTTP/1.0 200", false);
    assertThat(flv).startsWith('F', 'L', 'V', 1);
  }

  /**
   * Sends {@code requests} on one socket while {@code key} is published, reads to the server's close,
   * checks the FLV response's head (a body ended by the close: no length, no chunked encoding) and that
   * its body is the published stream to the end, frame for frame; returns that body.
   */
  private byte[] playOverRawSocket(String key, String requests, String statusLine, boolean afterHealth)
      throws Exception {
    Path media = TestMedia.audioVideo(5, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    Process publisher = processes.own(Clients.publish(key + "-publisher", media, node.rtmpUrl(key)));
    node.awaitPublisher(key);
    byte[] all;
    try (Socket socket = new Socket("127.0.0.1", node.node().httpPort())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(requests.getBytes(StandardCharsets.US_ASCII));
      all = socket.getInputStream().readAllBytes();
    }
    Ffmpeg.awaitSuccess(key + "-publisher", publisher, 60);
    int at = 0;
    if (afterHealth) {
      int end = headEnd(all, 0);
      String head = new String(all, 0, end, StandardCharsets.US_ASCII);
      assertThat(head).startsWith("HTTP/1.1 200");
      int length = Integer.parseInt(head.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-length:"))
          .findFirst().orElseThrow().substring("content-length:".length()).trim());
      at = end + length;
    }
    int end = headEnd(all, at);
    String head = new String(all, at, end - at, StandardCharsets.US_ASCII);
    String lower = head.toLowerCase(Locale.ROOT);
    assertThat(head).startsWith(statusLine);
    assertThat(lower).contains("\r\ncontent-type: video/x-flv\r\n").contains("\r\nconnection: close\r\n")
        .doesNotContain("\r\ntransfer-encoding:").doesNotContain("\r\ncontent-length:");
    byte[] body = Arrays.copyOfRange(all, end, all.length);
    Path flv = Clients.output(key + ".flv");
    Files.write(flv, body);
    Path hashes = Clients.output(key + ".framemd5");
    Ffmpeg.run(key + "-framemd5", List.of("-i", flv.toString(), "-map", "0", "-c", "copy", "-f", "framemd5", "-y",
        hashes.toString()), 30);
    FrameHashes.assertReceivedToTheEnd("raw HTTP-FLV " + key, published, FrameHashes.parse(hashes), 100);
    return body;
  }

  /** Where the head that starts at {@code from} ends, after its blank line. */
  private static int headEnd(byte[] bytes, int from) {
    for (int i = from; i + 3 < bytes.length; i++) {
      if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
        return i + 4;
      }
    }
    throw new AssertionError("no whole response head from byte " + from + " of " + bytes.length);
  }

  @Test
  void webSocketFlvCarriesTheSameStream() throws Exception {
    Path media = TestMedia.audioVideo(6, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    Process publisher = processes.own(Clients.publish("ws-flv-publisher", media, node.rtmpUrl("wsflv")));
    node.awaitPublisher("wsflv");
    Vertx vertx = Vertx.vertx();
    try {
      Buffer received = Buffer.buffer();
      CompletableFuture<Void> closed = new CompletableFuture<>();
      WebSocketClient client = vertx.createWebSocketClient();
      client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.node().httpPort())
              .setURI("/live/wsflv.flv"))
          .onFailure(closed::completeExceptionally)
          .onSuccess(ws -> {
            ws.binaryMessageHandler(received::appendBuffer);
            ws.closeHandler(v -> closed.complete(null));
          });
      Ffmpeg.awaitSuccess("ws-flv-publisher", publisher, 60);
      closed.get(20, TimeUnit.SECONDS);
      // Referenced until the stream ended: Vert.x shuts a client down, sockets and all, once it is
      // garbage collected.
      client.close();
      Path flv = Clients.output("ws-flv.flv");
      Files.write(flv, received.getBytes());
      Path hashes = Clients.output("ws-flv.framemd5");
      Ffmpeg.run("ws-flv-framemd5", List.of("-i", flv.toString(), "-map", "0", "-c", "copy", "-f", "framemd5", "-y",
          hashes.toString()), 30);
      FrameHashes.assertReceivedToTheEnd("WS-FLV", published, FrameHashes.parse(hashes), 100);
    } finally {
      vertx.close();
    }
  }

  @Test
  void aViewerOfAStreamThatEndsBeforeAnyMediaGetsA404NotAnEmpty200() throws Exception {
    String key = "nomedia";
    Vertx vertx = Vertx.vertx();
    try {
      // A publisher that sends no media at all, then leaves.
      RtmpPublishClient publisher = RtmpPublishClient.publish(vertx, "127.0.0.1", node.rtmpPort(), "live", key,
          reason -> { }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      CompletableFuture<HttpResponse<byte[]>> viewer = Http.sendAsync(
          Http.request(node.httpUrl("/live/" + key + ".flv")).timeout(Duration.ofSeconds(10)),
          HttpResponse.BodyHandlers.ofByteArray());
      Await.until("the HTTP-FLV viewer in the stream's API", Duration.ofSeconds(10), () -> new JsonObject(
          Http.get(node.httpUrl("/api/v1/streams/live/" + key)).body()).getJsonObject("viewers")
          .getInteger("http-flv") == 1);
      publisher.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

      HttpResponse<byte[]> response = viewer.get(10, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.headers().firstValue("Content-Type")).isEmpty();
      assertThat(response.body()).isEmpty();
    } finally {
      vertx.close();
    }
  }
}
