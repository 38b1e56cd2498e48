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
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
