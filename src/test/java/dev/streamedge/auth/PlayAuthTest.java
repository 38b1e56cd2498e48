package dev.streamedge.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.streamedge.stream.StreamKey;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.RecordingPlayer;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.InputStream;
import java.lang.ref.Reference;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Players under auth, over every protocol, with real clients: ffmpeg and our RTMP client over RTMP,
 * ffmpeg and an HTTP client over HLS, an HTTP client over HTTP-FLV, a Vert.x WebSocket client over
 * WS-FLV. App {@code live} plays by signed URL, app {@code hooked} asks a callback service; both are
 * published to openly.
 */
@Tag("e2e")
class PlayAuthTest {

  private static final String PLAY_SECRET = "play-secret-0123456789";
  private static final StreamKey SHOW = new StreamKey("live", "show");
  private static final StreamKey HOOKED = new StreamKey("hooked", "show");

  private static CallbackServer callbacks;
  private static TestNode node;
  private static Vertx clients;

  @RegisterExtension
  static final ChildProcesses publishers = new ChildProcesses();
  @RegisterExtension
  final ChildProcesses players = new ChildProcesses();

  @BeforeAll
  static void start() throws Exception {
    // The service refuses the token "bad" and allows any other.
    callbacks = CallbackServer.start(call -> "bad".equals(call.field("token")) ? 403 : 200);
    node = TestNode.start("--hls.target-duration=1s",
        "--auth.play=live=sign,hooked=callback",
        "--auth.play-secret=" + PLAY_SECRET,
        "--auth.callback.on-play=" + callbacks.url("/on_play"),
        "--auth.callback.on-play-done=" + callbacks.url("/on_play_done"));
    clients = Vertx.vertx();
    publishers.own(Clients.publishLooping("play-auth-show", TestMedia.audioVideo(4, 1), node.rtmpUrl("show")));
    publishers.own(Clients.publishLooping("play-auth-hooked", TestMedia.audioVideo(4, 1),
        "rtmp://127.0.0.1:" + node.rtmpPort() + "/hooked/show"));
    node.awaitPublisher("show");
  }

  @AfterAll
  static void stop() throws Exception {
    clients.close();
    node.close();
    callbacks.close();
  }

  @Test
  void rtmpPlayersWithAMissingExpiredOrTamperedSignatureAreRefusedAndASignedOnePlays() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    String valid = SignedUrls.sign(PLAY_SECRET, SHOW, now + 3600);
    String tampered = valid.substring(0, valid.length() - 1) + (valid.endsWith("0") ? "1" : "0");

    assertFfmpegRefused("rtmp-unsigned", node.rtmpUrl("show"), "live/show");
    assertFfmpegRefused("rtmp-expired", node.rtmpUrl("show?sign=" + SignedUrls.sign(PLAY_SECRET, SHOW, now - 1)),
        "live/show");
    assertFfmpegRefused("rtmp-tampered", node.rtmpUrl("show?sign=" + tampered), "live/show");
    RecordingPlayer refused = RecordingPlayer.play(clients, node.rtmpPort(), "show?sign=" + tampered);
    Await.until("the refused player's connection closes", Duration.ofSeconds(10), () -> refused.closedReason != null);
    assertThat(refused.statuses).containsExactly("NetStream.Play.Failed");
    assertThat(refused.frames).isEmpty();

    Ffmpeg.run("play-auth-rtmp-signed", ffmpegPlay(node.rtmpUrl("show?sign=" + valid), "rtmp-signed"), 30);
    RecordingPlayer player = RecordingPlayer.play(clients, node.rtmpPort(), "show?sign=" + valid);
    Await.until("a keyframe", Duration.ofSeconds(10), () -> player.keyframes() >= 1);
    assertThat(player.statuses).contains("NetStream.Play.Start");
    player.client().close();
  }

  @Test
  void hlsPlaylistAndSegmentsNeedTheSignatureAndThePlaylistPassesItOnToItsSegments() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    String valid = "?sign=" + SignedUrls.sign(PLAY_SECRET, SHOW, now + 3600);
    String expired = "?sign=" + SignedUrls.sign(PLAY_SECRET, SHOW, now - 1);
    String otherStream = "?sign=" + SignedUrls.sign(PLAY_SECRET, new StreamKey("live", "other"), now + 3600);

    for (String refused : List.of("", expired, otherStream, valid.replace("sign=", "sig="))) {
      assertThat(get("/hls/show.m3u8" + refused).statusCode()).as("playlist with '" + refused + "'").isEqualTo(403);
    }
    HttpResponse<byte[]> playlist = get("/hls/show.m3u8" + valid);
    assertThat(playlist.statusCode()).isEqualTo(200);
    List<String> segments = Arrays.stream(text(playlist).split("\n"))
        .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    assertThat(segments).isNotEmpty().allSatisfy(uri -> assertThat(uri).matches("show/\\d+\\.m4s\\Q" + valid + "\\E"));
    // LL-HLS names the init segment, the parts and the preload hint in URI attributes: signed too.
    List<String> attributes = java.util.regex.Pattern.compile("URI=\"([^\"]+)\"").matcher(text(playlist)).results()
        .map(m -> m.group(1)).toList();
    assertThat(attributes).isNotEmpty().allSatisfy(uri -> assertThat(uri)
        .matches("show/(init-\\d+\\.mp4|p\\d+\\.m4s)\\Q" + valid + "\\E"));
    assertThat(get("/hls/" + attributes.get(0)).statusCode()).isEqualTo(200);
    assertThat(get("/hls/live/show.m3u8" + valid).statusCode()).as("the /hls/<app>/<key> form").isEqualTo(200);

    String segment = "/hls/" + segments.get(segments.size() - 1);
    assertThat(get(segment).statusCode()).isEqualTo(200);
    assertThat(get(segment.substring(0, segment.indexOf('?'))).statusCode()).as("segment without the signature")
        .isEqualTo(403);
    assertThat(get(segment.replace(valid, expired)).statusCode()).as("segment with an expired signature")
        .isEqualTo(403);

    // A real player reads the playlist and asks for the segments by the URIs it lists.
    Ffmpeg.run("play-auth-hls-signed", ffmpegPlay(node.httpUrl("/hls/show.m3u8" + valid), "hls-signed"), 40);
    assertFfmpegRefusedOverHttp("hls-unsigned", node.httpUrl("/hls/show.m3u8"));
  }

  @Test
  void dashMpdAndSegmentsNeedTheSignatureAndTheMpdPassesItOnToItsSegmentUrls() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    String valid = "?sign=" + SignedUrls.sign(PLAY_SECRET, SHOW, now + 3600);
    String expired = "?sign=" + SignedUrls.sign(PLAY_SECRET, SHOW, now - 1);
    for (String refused : List.of("", expired)) {
      assertThat(get("/dash/show.mpd" + refused).statusCode()).as("MPD with '" + refused + "'").isEqualTo(403);
    }
    HttpResponse<byte[]> mpd = get("/dash/show.mpd" + valid);
    assertThat(mpd.statusCode()).isEqualTo(200);
    // Segment URLs resolve against the MPD's without its query: the template carries the signature (& escaped).
    List<String> templates = java.util.regex.Pattern.compile("(?:initialization|media)=\"([^\"]+)\"")
        .matcher(text(mpd)).results().map(m -> m.group(1).replace("&amp;", "&")).toList();
    assertThat(templates).hasSize(4).allSatisfy(uri -> assertThat(uri).endsWith(valid));
    String init = "/dash/" + templates.get(0);
    assertThat(get(init).statusCode()).isEqualTo(200);
    assertThat(get(init.substring(0, init.indexOf('?'))).statusCode()).as("init without the signature").isEqualTo(403);
    // A real player reads the MPD and asks for the segments by its templates.
    Ffmpeg.run("play-auth-dash-signed", ffmpegPlay(node.httpUrl("/dash/show.mpd" + valid), "dash-signed"), 40);
    assertFfmpegRefusedOverHttp("dash-unsigned", node.httpUrl("/dash/show.mpd"));
  }

  @Test
  void httpFlvAndWebSocketFlvNeedTheSignatureEvenToLearnThatAStreamIsNotLive() throws Exception {
    String valid = "?sign=" + SignedUrls.sign(PLAY_SECRET, SHOW, System.currentTimeMillis() / 1000 + 3600);

    assertThat(get("/live/show.flv").statusCode()).isEqualTo(403);
    assertThat(get("/live/nothing.flv").statusCode()).as("unknown stream, no signature").isEqualTo(403);
    assertThat(get("/live/nothing.flv?sign=" + SignedUrls.sign(PLAY_SECRET, new StreamKey("live", "nothing"),
        System.currentTimeMillis() / 1000 + 60)).statusCode()).as("unknown stream, signed").isEqualTo(404);
    try (InputStream flv = Http.getStream(node.httpUrl("/live/show.flv" + valid)).body()) {
      assertThat(new String(flv.readNBytes(3), StandardCharsets.US_ASCII)).isEqualTo("FLV");
    }

    WebSocketClient ws = clients.createWebSocketClient();
    ExecutionException refused = catchThrowableOfType(
        () -> webSocketFirstMessage(ws, "/live/show.flv"), ExecutionException.class);
    assertThat(refused.getCause()).isInstanceOf(UpgradeRejectedException.class);
    assertThat(((UpgradeRejectedException) refused.getCause()).getStatus()).isEqualTo(403);
    Buffer first = webSocketFirstMessage(ws, "/live/show.flv" + valid);
    assertThat(first.getString(0, 3)).isEqualTo("FLV");
  }

  @Test
  void aPlayCallbackAnswering403RefusesOnEveryProtocolAnd2xxPlaysAndAnswersAreReusedAcrossHlsRequests() throws Exception {
    Await.until("hooked/show live", Duration.ofSeconds(20), () -> node.node().registry().info(HOOKED)
        .toCompletionStage().toCompletableFuture().get().map(info -> info.publisher() != null).orElse(false));
    String rtmp = "rtmp://127.0.0.1:" + node.rtmpPort() + "/hooked/show";

    assertFfmpegRefused("callback-rtmp-bad", rtmp + "?token=bad", "hooked/show");
    assertThat(get("/hooked/show.flv?token=bad").statusCode()).isEqualTo(403);
    assertThat(get("/hls/hooked/show.m3u8?token=bad").statusCode()).isEqualTo(403);

    Ffmpeg.run("play-auth-callback-rtmp-good", ffmpegPlay(rtmp + "?token=good", "callback-rtmp-good"), 30);
    Await.until("the play_done event of the RTMP player", Duration.ofSeconds(10),
        () -> callbacks.calls("play_done", "hooked", "show").stream().anyMatch(c -> "rtmp".equals(c.field("proto"))));

    // The answer comes after the handler returned: the FLV response and the WebSocket upgrade wait for it.
    try (InputStream flv = Http.getStream(node.httpUrl("/hooked/show.flv?token=good")).body()) {
      assertThat(new String(flv.readNBytes(3), StandardCharsets.US_ASCII)).isEqualTo("FLV");
    }
    WebSocketClient ws = clients.createWebSocketClient();
    assertThat(webSocketFirstMessage(ws, "/hooked/show.flv?token=good-ws").getString(0, 3)).isEqualTo("FLV");
    ExecutionException refused = catchThrowableOfType(() -> webSocketFirstMessage(ws, "/hooked/show.flv?token=bad"),
        ExecutionException.class);
    assertThat(((UpgradeRejectedException) refused.getCause()).getStatus()).isEqualTo(403);

    int hlsCallsBefore = hlsCalls("good");
    HttpResponse<byte[]> playlist = get("/hls/hooked/show.m3u8?token=good");
    assertThat(playlist.statusCode()).isEqualTo(200);
    for (int i = 0; i < 5; i++) {
      assertThat(get("/hls/hooked/show.m3u8?token=good").statusCode()).isEqualTo(200);
    }
    String segment = Arrays.stream(text(playlist).split("\n")).filter(l -> l.endsWith("?token=good")).findFirst()
        .orElseThrow();
    assertThat(get("/hls/hooked/" + segment).statusCode()).isEqualTo(200);
    assertThat(hlsCalls("good") - hlsCallsBefore).as("on_play calls for 7 HLS requests within the cache TTL")
        .isEqualTo(1);
  }

  private static int hlsCalls(String token) {
    return (int) callbacks.calls("play", "hooked", "show").stream()
        .filter(c -> "hls".equals(c.field("proto")) && token.equals(c.field("token"))).count();
  }

  private static List<String> ffmpegPlay(String url, String name) throws Exception {
    return List.of("-i", url, "-t", "2", "-map", "0", "-c", "copy", "-f", "framemd5", "-y",
        Clients.output("play-auth-" + name + ".framemd5").toString());
  }

  private void assertFfmpegRefused(String name, String url, String stream) throws Exception {
    Process player = players.own(Ffmpeg.start("play-auth-" + name, ffmpegPlay(url, name)));
    assertThat(player.waitFor(15, TimeUnit.SECONDS)).as(name + " ends").isTrue();
    assertThat(player.exitValue()).as(name + " exit code").isNotZero();
    assertThat(Ffmpeg.logTail("play-auth-" + name)).contains("Not authorized to play " + stream + ".");
  }

  private void assertFfmpegRefusedOverHttp(String name, String url) throws Exception {
    Process player = players.own(Ffmpeg.start("play-auth-" + name, ffmpegPlay(url, name)));
    assertThat(player.waitFor(15, TimeUnit.SECONDS)).as(name + " ends").isTrue();
    assertThat(player.exitValue()).as(name + " exit code").isNotZero();
    assertThat(Ffmpeg.logTail("play-auth-" + name)).contains("403");
  }

  private static Buffer webSocketFirstMessage(WebSocketClient ws, String uri) throws Exception {
    CompletableFuture<Buffer> first = new CompletableFuture<>();
    ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.node().httpPort()).setURI(uri))
        .onFailure(first::completeExceptionally)
        .onSuccess(socket -> socket.binaryMessageHandler(message -> {
          first.complete(message);
          socket.close();
        }));
    try {
      return first.get(10, TimeUnit.SECONDS);
    } finally {
      // Until the answer: Vert.x shuts a client down once it is garbage collected, handshakes and all.
      Reference.reachabilityFence(ws);
    }
  }

  private static HttpResponse<byte[]> get(String path) throws Exception {
    return Http.getBytes(node.httpUrl(path));
  }

  private static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }
}
