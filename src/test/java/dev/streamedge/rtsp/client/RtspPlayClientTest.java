package dev.streamedge.rtsp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.streamedge.media.MediaKind;
import dev.streamedge.rtsp.RtspSourceUrl;
import dev.streamedge.testing.Await;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The RTSP client's side of the protocol where a real server would not go on demand (gst-rtsp-server and the node
 * itself play it in RtspPullTest): the channels the server picks, keep-alives within half a 2 s session timeout
 * with the session's id, a silent source dropped, refusals and garbage failing the play with what the source said,
 * a redirect followed and a redirect loop cut, and a login refused twice failing instead of looping.
 */
@Tag("e2e")
@Tag("timing")
class RtspPlayClientTest {

  private static final String SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=cam\r\nt=0 0\r\na=control:*\r\n"
      + "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
      + "a=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z0LAFdkBQfsBagwMDUoAAAMAAgAAAwBlHixckA==,aMuMsg==\r\n"
      + "a=control:stream=0\r\n";

  private final Vertx vertx = Vertx.vertx();
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final CompletableFuture<String> closed = new CompletableFuture<>();

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Answers OPTIONS, DESCRIBE, SETUP (channels 6-7, a 2 s session) and PLAY as a camera would. */
  private static String camera(String request, String base) {
    String cseq = ScriptedRtspServer.cseq(request);
    if (request.startsWith("OPTIONS")) {
      return ok(cseq, "Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER\r\n", "");
    } else if (request.startsWith("DESCRIBE")) {
      return ok(cseq, "Content-Type: application/sdp\r\nContent-Base: " + base + "\r\n", SDP);
    } else if (request.startsWith("SETUP")) {
      return ok(cseq, "Transport: RTP/AVP/TCP;unicast;interleaved=6-7\r\nSession: s1;timeout=2\r\n", "");
    }
    return ok(cseq, "Session: s1\r\n", "");
  }

  private static String ok(String cseq, String headers, String body) {
    return "RTSP/1.0 200 OK\r\nCSeq: " + cseq + "\r\n" + headers
        + (body.isEmpty() ? "" : "Content-Length: " + body.length() + "\r\n") + "\r\n" + body;
  }

  @Test
  void theServersChannelsAreReadAndTheSessionIsKeptAliveWithinHalfItsTimeout() throws Exception {
    String[] base = new String[1];
    try (ScriptedRtspServer server = new ScriptedRtspServer(request -> camera(request, base[0]))) {
      base[0] = server.url("/cam/");
      RtspPlayClient client = play(server.url("/cam"), 10_000).get(10, TimeUnit.SECONDS);
      assertThat(server.requests).extracting(r -> r.split("\r\n")[0]).containsExactly(
          "OPTIONS " + server.url("/cam") + " RTSP/1.0", "DESCRIBE " + server.url("/cam") + " RTSP/1.0",
          "SETUP " + server.url("/cam/stream=0") + " RTSP/1.0", "PLAY " + server.url("/cam/") + " RTSP/1.0");
      assertThat(server.requests.get(2)).contains("Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
      assertThat(server.requests.get(3)).contains("Session: s1\r\n");
      long start = System.nanoTime();
      for (int i = 0; i < 75; i++) {
        server.frame(6, idr(i));
        Thread.sleep(40);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      List<String> keepAlives = server.requests.stream().filter(r -> r.startsWith("GET_PARAMETER")).toList();
      System.out.printf("RTSP client, 2 s session: %d GET_PARAMETER in %.1f s, %d video bodies%n", keepAlives.size(),
          seconds, bodies.size());
      assertThat(keepAlives).as("keep-alives in %.1f s", seconds).hasSizeBetween(2, 4)
          .allSatisfy(r -> assertThat(r).contains("Session: s1\r\n"));
      assertThat(bodies).as("the sequence header, then the pictures of channel 6").hasSizeGreaterThan(60);
      assertThat(bodies.get(0)).as("an AVC sequence header").startsWith("VIDEO 0 17 00");
      assertThat(closed).isNotDone();
      vertx.runOnContext(v -> client.close());
      Await.until("a TEARDOWN", Duration.ofSeconds(5),
          () -> server.requests.stream().anyMatch(r -> r.startsWith("TEARDOWN") && r.contains("Session: s1")));
    }
  }

  @Test
  void aSourceThatSendsNothingIsDroppedAfterTheSilenceBound() throws Exception {
    String[] base = new String[1];
    try (ScriptedRtspServer server = new ScriptedRtspServer(request -> camera(request, base[0]))) {
      base[0] = server.url("/cam/");
      play(server.url("/cam"), 500).get(10, TimeUnit.SECONDS);
      long start = System.nanoTime();
      String reason = closed.get(5, TimeUnit.SECONDS);
      long after = (System.nanoTime() - start) / 1_000_000;
      assertThat(reason).matches("the source sent nothing for \\d+ ms");
      assertThat(after).as("ms from PLAY's answer to the drop").isBetween(400L, 1500L);
    }
  }

  @Test
  void aServerThatNeverAnswersFailsThePlayAfterTheSilenceBound() throws Exception {
    try (ScriptedRtspServer server = new ScriptedRtspServer(request -> null)) {
      long start = System.nanoTime();
      ExecutionException failed = assertThrows(ExecutionException.class,
          () -> play(server.url("/cam"), 500).get(10, TimeUnit.SECONDS));
      long after = (System.nanoTime() - start) / 1_000_000;
      assertThat(failed.getCause().getMessage()).matches("the source sent nothing for \\d+ ms");
      assertThat(after).as("ms from the connect to the failure").isBetween(400L, 1500L);
      assertThat(server.requests).hasSize(1).allMatch(r -> r.startsWith("OPTIONS"));
    }
  }

  @Test
  void refusalsAndGarbageFailThePlayWithWhatTheSourceSaid() throws Exception {
    assertThat(failure(r -> r.startsWith("OPTIONS") ? ok(ScriptedRtspServer.cseq(r), "", "")
        : "RTSP/1.0 404 Not Found\r\nCSeq: " + ScriptedRtspServer.cseq(r) + "\r\n\r\n", "/cam"))
        .isEqualTo("DESCRIBE 404 Not Found");
    assertThat(failure(r -> "RTSP/1.0 401 Unauthorized\r\nCSeq: " + ScriptedRtspServer.cseq(r)
        + "\r\nWWW-Authenticate: Basic realm=\"cam\"\r\n\r\n", "/cam"))
        .isEqualTo("OPTIONS 401 Unauthorized: the URL has no credentials");
    assertThat(failure(r -> "HTTP/1.1 200 OK\r\n\r\n", "/cam")).startsWith("the source sent what is not RTSP: ");
    assertThat(failure(r -> r.startsWith("OPTIONS") ? ok(ScriptedRtspServer.cseq(r), "", "")
        : ok(ScriptedRtspServer.cseq(r), "Content-Type: application/sdp\r\n", "v=0\r\nm=video 0 RTP/AVP 26\r\n"),
        "/cam")).startsWith("DESCRIBE: the source's SDP: ");
  }

  @Test
  void aRedirectIsFollowedToAnotherServerAndALoopFailsAfterThree() throws Exception {
    String[] base = new String[1];
    String[] location = new String[1];
    Function<String, String> redirecting = r -> r.startsWith("OPTIONS") ? ok(ScriptedRtspServer.cseq(r), "", "")
        : "RTSP/1.0 302 Moved Temporarily\r\nCSeq: " + ScriptedRtspServer.cseq(r) + "\r\nLocation: " + location[0]
            + "\r\n\r\n";
    try (ScriptedRtspServer camera = new ScriptedRtspServer(request -> camera(request, base[0]));
        ScriptedRtspServer front = new ScriptedRtspServer(redirecting)) {
      base[0] = camera.url("/cam/");
      location[0] = camera.url("/cam");
      play(front.url("/front"), 10_000).get(10, TimeUnit.SECONDS);
      assertThat(camera.requests).extracting(r -> r.split("\r\n")[0]).contains(
          "DESCRIBE " + camera.url("/cam") + " RTSP/1.0", "PLAY " + camera.url("/cam/") + " RTSP/1.0");
    }
    try (ScriptedRtspServer loop = new ScriptedRtspServer(redirecting)) {
      location[0] = loop.url("/again");
      ExecutionException failed = assertThrows(ExecutionException.class,
          () -> play(loop.url("/again"), 10_000).get(10, TimeUnit.SECONDS));
      assertThat(failed.getCause().getMessage()).isEqualTo("DESCRIBE 302 Moved Temporarily: more than "
          + RtspPlayClient.MAX_REDIRECTS + " redirects");
      assertThat(loop.connections).isEqualTo(RtspPlayClient.MAX_REDIRECTS + 1);
    }
  }

  @Test
  void aLoginRefusedAfterTheCredentialsFailsThePlayAfterOneTry() throws Exception {
    try (ScriptedRtspServer server = new ScriptedRtspServer(r -> "RTSP/1.0 401 Unauthorized\r\nCSeq: "
        + ScriptedRtspServer.cseq(r) + "\r\nWWW-Authenticate: Basic realm=\"cam\"\r\n\r\n")) {
      String url = "rtsp://admin:pa%40ss@127.0.0.1:" + server.port() + "/cam";
      ExecutionException failed = assertThrows(ExecutionException.class,
          () -> play(url, 10_000).get(10, TimeUnit.SECONDS));
      assertThat(failed.getCause().getMessage()).isEqualTo("OPTIONS 401 Unauthorized: the credentials were refused");
      assertThat(server.requests).hasSize(2);
      // admin:pa@ss in Base64
      assertThat(server.requests.get(1)).contains("Authorization: Basic YWRtaW46cGFAc3M=\r\n");
    }
  }

  private String failure(Function<String, String> answers, String path) throws Exception {
    try (ScriptedRtspServer server = new ScriptedRtspServer(answers)) {
      ExecutionException failed = assertThrows(ExecutionException.class,
          () -> play(server.url(path), 10_000).get(10, TimeUnit.SECONDS));
      return failed.getCause().getMessage();
    }
  }

  private CompletableFuture<RtspPlayClient> play(String url, long silenceMillis) {
    Promise<RtspPlayClient> playing = Promise.promise();
    vertx.runOnContext(v -> RtspPlayClient.play(vertx, new NetClientOptions(), RtspSourceUrl.parse(url),
        new RtspClientLimits(16 * 1024, 1 << 20, silenceMillis), new RtspPlayClient.Listener() {
          @Override
          public void media(MediaKind kind, long timestampMs, ByteBuf body) {
            bodies.add(kind + " " + timestampMs + " " + ByteBufUtil.hexDump(body, 0, 2)
                .replaceAll("(..)(..)", "$1 $2"));
          }

          @Override
          public void closed(String reason) {
            closed.complete(reason);
          }
        }).onComplete(playing));
    Future<RtspPlayClient> future = playing.future();
    return future.toCompletionStage().toCompletableFuture();
  }

  /** An RTP packet (RFC 3550 §5.1) of one IDR NAL unit (RFC 6184 §5.6), frame {@code n} at 25 fps, marker set. */
  private static byte[] idr(int n) {
    byte[] packet = new byte[12 + 6];
    packet[0] = (byte) 0x80;
    packet[1] = (byte) (0x80 | 96);
    packet[2] = (byte) (n >> 8);
    packet[3] = (byte) n;
    long ts = 3600L * n;
    packet[4] = (byte) (ts >> 24);
    packet[5] = (byte) (ts >> 16);
    packet[6] = (byte) (ts >> 8);
    packet[7] = (byte) ts;
    packet[11] = 1;
    packet[12] = 0x65;
    packet[13] = (byte) 0x88;
    packet[14] = (byte) 0x84;
    return packet;
  }
}
