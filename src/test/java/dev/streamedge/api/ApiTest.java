package dev.streamedge.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.OtherAddress;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTTP API against real clients: an ffmpeg publisher, and ffmpeg players over RTMP and HTTP-FLV.
 * It lists what they do, measured; kicking one player leaves the other playing; stopping the stream
 * disconnects its publisher; and it answers only whom it should.
 */
@Tag("e2e")
@Tag("timing")
class ApiTest {

  private static final String TOKEN = "api-test-token-0123456789";
  private static final Duration EVENT = Duration.ofSeconds(15);

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void listsTheStreamMeasuredWithItsViewersAndClientsAndKicksExactlyWhatItIsAsked() throws Exception {
    try (TestNode node = TestNode.start()) {
      String key = "api";
      Process publisher = processes.own(Clients.publishLooping("api-publisher", TestMedia.audioVideo(4, 1),
          node.rtmpUrl(key)));
      node.awaitPublisher(key);
      Process rtmpPlayer = processes.own(Clients.playToHashes("api-rtmp-player", node.rtmpUrl(key),
          Clients.output("api-rtmp.framemd5")));
      Process flvPlayer = processes.own(Clients.playToHashes("api-flv-player", node.httpUrl("/live/" + key + ".flv"),
          Clients.output("api-flv.framemd5")));
      String streamUrl = node.httpUrl("/api/v1/streams/live/" + key);

      // A whole window of measurement: five seconds after the first whole one.
      Await.until("a stream measured over 5 s with both viewers", EVENT, () -> {
        JsonObject stream = json(Http.get(streamUrl));
        return stream.getInteger("measuredSeconds") == 5
            && stream.getJsonObject("viewers").getInteger("rtmp") == 1
            && stream.getJsonObject("viewers").getInteger("http-flv") == 1;
      });
      HttpResponse<String> one = Http.get(streamUrl);
      assertThat(one.statusCode()).isEqualTo(200);
      assertThat(one.headers().firstValue("Content-Type")).hasValue("application/json");
      JsonObject stream = json(one);
      assertThat(stream.getString("app")).isEqualTo("live");
      assertThat(stream.getString("key")).isEqualTo(key);
      assertThat(stream.getBoolean("live")).isTrue();
      assertThat(stream.getBoolean("relayed")).isFalse();
      assertThat(stream.containsKey("origin")).as("origin, null on a single node").isTrue();
      assertThat(stream.getString("origin")).isNull();
      assertThat(stream.getString("publisher")).startsWith("127.0.0.1:");
      assertThat(stream.getDouble("uptimeSeconds")).isGreaterThan(5.0);
      JsonObject video = stream.getJsonObject("video");
      assertThat(video.getString("codec")).isEqualTo("H.264 640x360");
      assertThat(video.getInteger("width")).isEqualTo(640);
      assertThat(video.getInteger("height")).isEqualTo(360);
      // The media is 25 fps, published in real time.
      assertThat(video.getDouble("fps")).as("measured fps").isBetween(22.0, 28.0);
      assertThat(stream.getJsonObject("audio").getString("codec")).isEqualTo("AAC 44100 Hz 2 ch");
      // 800 kbit/s of video and 96 kbit/s of audio, as the encoder managed on a test picture.
      assertThat(stream.getLong("bitrate")).as("measured bits per second").isBetween(400_000L, 2_000_000L);
      JsonObject viewers = stream.getJsonObject("viewers");
      assertThat(viewers.fieldNames()).containsExactlyInAnyOrder("rtmp", "rtmps", "rtmpe", "rtmpt", "rtmpts", "rtmpte",
          "srt", "rtsp", "http-flv", "ws-flv", "hls", "dash");
      assertThat(viewers.getInteger("srt")).isZero();
      assertThat(viewers.getInteger("rtmps")).isZero();
      assertThat(viewers.getInteger("ws-flv")).isZero();
      assertThat(viewers.getInteger("hls")).as("no HLS player (HlsViewersTest counts some)").isZero();
      assertThat(viewers.getInteger("dash")).as("no DASH player (DashPlaybackTest counts some)").isZero();

      JsonObject list = json(Http.get(node.httpUrl("/api/v1/streams")));
      assertThat(list.containsKey("node") && list.getValue("node") == null).as("no node id on a single node").isTrue();
      assertThat(list.containsKey("cluster")).as("no directory on a single node").isFalse();
      assertThat(list.getJsonArray("streams").size()).isEqualTo(1);
      assertThat(list.getJsonArray("streams").getJsonObject(0).getString("key")).isEqualTo(key);

      JsonArray connected = json(Http.get(node.httpUrl("/api/v1/clients"))).getJsonArray("clients");
      assertThat(connected.size()).isEqualTo(3);
      JsonObject publishing = client(connected, "rtmp", "publisher").orElseThrow();
      JsonObject rtmpPlaying = client(connected, "rtmp", "player").orElseThrow();
      JsonObject flvPlaying = client(connected, "http-flv", "player").orElseThrow();
      for (JsonObject client : List.of(publishing, rtmpPlaying, flvPlaying)) {
        assertThat(client.getString("address")).startsWith("127.0.0.1:");
        assertThat(client.getJsonObject("stream")).isEqualTo(new JsonObject().put("app", "live").put("key", key));
        assertThat(client.getString("connectedAt")).isNotBlank();
      }
      assertThat(publishing.getString("address")).isEqualTo(stream.getString("publisher"));
      assertThat(publishing.getLong("bytesIn")).as("what the publisher sent").isGreaterThan(300_000L);
      assertThat(rtmpPlaying.getLong("bytesOut")).as("what the RTMP player got").isGreaterThan(100_000L);
      assertThat(flvPlaying.getLong("bytesOut")).as("what the HTTP-FLV player got").isGreaterThan(100_000L);
      // What ffmpeg says it is (libavformat's rtmpproto.c): FMLE/3.0 publishing, LNX 9,0,124,2 playing.
      assertThat(publishing.getString("flashVersion")).startsWith("FMLE/3.0 (compatible; Lavf");
      assertThat(rtmpPlaying.getString("flashVersion")).isEqualTo("LNX 9,0,124,2");
      assertThat(flvPlaying.getString("flashVersion")).isNull();
      assertThat(flvPlaying.getLong("droppedFrames")).isZero();

      // Kicking the RTMP player ends exactly it: the HTTP-FLV player goes on getting the stream.
      HttpResponse<String> kicked = Http.delete(node.httpUrl("/api/v1/clients/" + rtmpPlaying.getLong("id")));
      assertThat(kicked.statusCode()).isEqualTo(204);
      assertThat(rtmpPlayer.waitFor(10, TimeUnit.SECONDS)).as("the kicked ffmpeg player exits").isTrue();
      long flvBytes = flvBytesOut(node, flvPlaying.getLong("id"));
      Await.until("more bytes for the HTTP-FLV player", EVENT,
          () -> flvBytesOut(node, flvPlaying.getLong("id")) > flvBytes + 100_000);
      assertThat(flvPlayer.isAlive()).as("the other player still plays").isTrue();
      assertThat(publisher.isAlive()).as("the publisher still publishes").isTrue();
      JsonArray after = json(Http.get(node.httpUrl("/api/v1/clients"))).getJsonArray("clients");
      assertThat(after.stream().map(c -> ((JsonObject) c).getLong("id")))
          .containsExactlyInAnyOrder(publishing.getLong("id"), flvPlaying.getLong("id"));
      JsonObject viewersAfter = json(Http.get(streamUrl)).getJsonObject("viewers");
      assertThat(viewersAfter.getInteger("rtmp")).isZero();
      assertThat(viewersAfter.getInteger("http-flv")).isEqualTo(1);
      assertThat(Http.delete(node.httpUrl("/api/v1/clients/" + rtmpPlaying.getLong("id"))).statusCode())
          .as("a client that is gone").isEqualTo(404);
      assertThat(Http.delete(node.httpUrl("/api/v1/clients/not-a-number")).statusCode()).isEqualTo(404);

      // Stopping the stream disconnects its publisher; the FLV response ends with it, as a file would.
      assertThat(Http.delete(streamUrl).statusCode()).isEqualTo(204);
      assertThat(publisher.waitFor(10, TimeUnit.SECONDS)).as("the publisher is disconnected").isTrue();
      assertThat(flvPlayer.waitFor(10, TimeUnit.SECONDS)).as("the FLV player's stream ended").isTrue();
      Await.until("no client left", EVENT,
          () -> json(Http.get(node.httpUrl("/api/v1/clients"))).getJsonArray("clients").isEmpty());
      // HLS packaging keeps the stream for hls.idle-timeout after its publisher: it is there, not live.
      HttpResponse<String> stopped = Http.get(streamUrl);
      if (stopped.statusCode() == 200) {
        assertThat(json(stopped).getBoolean("live")).isFalse();
        assertThat(json(stopped).getString("publisher")).isNull();
      } else {
        assertThat(stopped.statusCode()).isEqualTo(404);
      }
      assertThat(Http.delete(streamUrl).statusCode()).as("no publisher to stop").isEqualTo(404);
      assertThat(Http.get(node.httpUrl("/api/v1/streams/live/other")).statusCode()).isEqualTo(404);
      assertThat(Http.get(node.httpUrl("/api/v1/streams/live/bad!name")).statusCode()).isEqualTo(400);
    }
  }

  @Test
  void withATokenEveryRequestMustCarryItAndTheErrorsNeverShowIt() throws Exception {
    try (TestNode node = TestNode.start("--api.token=" + TOKEN)) {
      String url = node.httpUrl("/api/v1/streams");
      HttpResponse<String> none = Http.get(url);
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"streamedge\"");
      assertThat(none.body()).contains("error").doesNotContain(TOKEN);
      HttpResponse<String> wrong = Http.get(url, "Authorization", "Bearer " + TOKEN + "x");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.body()).doesNotContain(TOKEN);
      assertThat(Http.delete(node.httpUrl("/api/v1/clients/1"), "Authorization", "Bearer wrong").statusCode())
          .isEqualTo(401);

      assertThat(Http.get(url, "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
      assertThat(Http.get(node.httpUrl("/api/v1/clients"), "Authorization", "Bearer " + TOKEN).statusCode())
          .isEqualTo(200);
      Optional<InetAddress> other = nonLoopbackAddress();
      if (other.isPresent()) {
        assertThat(statusFrom(other.get(), node, "/api/v1/streams", "Bearer " + TOKEN))
            .as("the token opens the API to any address").isEqualTo(200);
        assertThat(statusFrom(other.get(), node, "/api/v1/streams", null)).isEqualTo(401);
      }
    }
  }

  @Test
  void withoutATokenOnlyLoopbackClientsAreAnswered() throws Exception {
    Optional<InetAddress> other = nonLoopbackAddress();
    Assumptions.assumeTrue(other.isPresent(), "this host has no address but loopback");
    try (TestNode node = TestNode.start()) {
      assertThat(Http.get(node.httpUrl("/api/v1/streams")).statusCode()).isEqualTo(200);
      // The same node, asked from this host's other address: the kernel routes it over loopback, but
      // the server sees a client that is not on loopback.
      assertThat(statusFrom(other.get(), node, "/api/v1/streams", null)).isEqualTo(403);
      assertThat(statusFrom(other.get(), node, "/api/v1/clients", "Bearer " + TOKEN)).isEqualTo(403);
      assertThat(statusFrom(other.get(), node, "/health/live", null)).as("media and probes are not the API's")
          .isEqualTo(200);
    }
  }

  @Test
  void anApiTurnedOffIsNotThere() throws Exception {
    try (TestNode node = TestNode.start("--api.enabled=false")) {
      assertThat(Http.get(node.httpUrl("/api/v1/streams")).statusCode()).isEqualTo(404);
      assertThat(Http.delete(node.httpUrl("/api/v1/clients/1")).statusCode()).isEqualTo(404);
    }
  }

  private static Optional<JsonObject> client(JsonArray clients, String protocol, String role) {
    return clients.stream().map(JsonObject.class::cast)
        .filter(c -> protocol.equals(c.getString("protocol")) && role.equals(c.getString("role")))
        .findFirst();
  }

  private static long flvBytesOut(TestNode node, long id) throws Exception {
    return json(Http.get(node.httpUrl("/api/v1/clients"))).getJsonArray("clients").stream()
        .map(JsonObject.class::cast)
        .filter(c -> c.getLong("id") == id)
        .findFirst().orElseThrow().getLong("bytesOut");
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws Exception {
    return OtherAddress.nonLoopback();
  }

  private static int statusFrom(InetAddress local, TestNode node, String path, String authorization) throws Exception {
    return OtherAddress.statusFrom(local, node.node().httpPort(), path, authorization);
  }

  private static JsonObject json(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.uri() + " " + response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

}
