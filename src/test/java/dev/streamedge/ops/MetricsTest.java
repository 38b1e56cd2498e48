package dev.streamedge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.Background;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.Prometheus;
import dev.streamedge.testing.RawRtmp;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What {@code /metrics} shows while real clients use the node: one ffmpeg publisher, and players on
 * every protocol (ffmpeg over RTMP, RTMPS, RTMPE and HTTP-FLV, a Vert.x WebSocket client over WS-FLV, HTTP
 * requests for HLS); a stalled player; connections over the limits.
 */
@Tag("e2e")
@Tag("timing")
class MetricsTest {

  private static final List<String> STREAMING = List.of("rtmp", "rtmps", "rtmpe", "http-flv", "ws-flv");
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void scrapeCountsEachProtocolsPlayersWithGrowingBytesAndTheGaugesReturnToZeroWhenTheyLeave() throws Exception {
    Path media = TestMedia.audioVideo(4, 1);
    Vertx vertx = Vertx.vertx();
    try (TestNode node = TestNode.start(TestNode.rtmpsOptions())) {
      Prometheus idle = node.scrape();
      assertThat(idle.value("streamedge_streams_live")).isZero();
      for (String protocol : STREAMING) {
        assertThat(idle.value("streamedge_players", "protocol", protocol)).as(protocol).isZero();
      }

      Process publisher = processes.own(Clients.publishLooping("metrics-publisher", media, node.rtmpUrl("m")));
      node.awaitPublisher("m");
      // A finished HLS segment means a keyframe has passed: every player below joins from the GOP cache.
      awaitMetric(node, "an HLS segment", s -> s.value("streamedge_hls_segments_produced_total") >= 1);

      Process rtmp = processes.own(Clients.playToHashes("metrics-rtmp-player", node.rtmpUrl("m"),
          Clients.output("metrics-rtmp.framemd5")));
      Process rtmps = processes.own(Clients.playToHashes("metrics-rtmps-player", node.rtmpsUrl("m"),
          Clients.output("metrics-rtmps.framemd5")));
      Process rtmpe = processes.own(Clients.playToHashes("metrics-rtmpe-player", node.rtmpeUrl("m"),
          Clients.output("metrics-rtmpe.framemd5")));
      Process httpFlv = processes.own(Clients.playToHashes("metrics-http-flv-player", node.httpUrl("/live/m.flv"),
          Clients.output("metrics-http-flv.framemd5")));
      AtomicLong wsBytes = new AtomicLong();
      // Referenced to the end: Vert.x shuts a client down once it is garbage collected, and with it a
      // handshake in progress ("Connection closed while handshake in process", 1 run in 4 here).
      WebSocketClient wsClient = vertx.createWebSocketClient();
      WebSocket ws = wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
              .setPort(node.node().httpPort()).setURI("/live/m.flv"))
          .onSuccess(socket -> socket.binaryMessageHandler(data -> wsBytes.addAndGet(data.length())))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      HlsViewer hls = new HlsViewer(node.httpUrl("/hls/live/m/ts.m3u8"));
      try (Background viewer = Background.start("hls-viewer", hls::view)) {
        awaitMetric(node, "one player on each protocol, each with its first frame", s -> STREAMING.stream().allMatch(
            p -> s.value("streamedge_players", "protocol", p) == 1
                && s.value("streamedge_player_first_frame_seconds_count", "protocol", p) == 1));
        awaitMetric(node, "an HLS segment served", s -> s.value("streamedge_hls_segments_served_total") >= 1);

        Prometheus first = node.scrape();
        AtomicReference<Scrape> later = new AtomicReference<>();
        Await.until("every byte counter to grow past the first scrape", WAIT, () -> {
          long wsReceivedBefore = wsBytes.get();
          Prometheus scrape = node.scrape();
          later.set(new Scrape(scrape, wsReceivedBefore, wsBytes.get()));
          return grew(first, scrape, "streamedge_received_bytes_total", "rtmp")
              && Stream.concat(STREAMING.stream(), Stream.of("hls"))
                  .allMatch(p -> grew(first, scrape, "streamedge_sent_bytes_total", p));
        });
        Prometheus second = later.get().scrape();

        assertThat(second.value("streamedge_streams_live")).isEqualTo(1);
        assertThat(second.value("streamedge_publishers", "protocol", "rtmp")).isEqualTo(1);
        assertThat(second.value("streamedge_publishers", "protocol", "rtmps")).isZero();
        assertGrows(first, second, "streamedge_received_bytes_total", "rtmp");
        for (String protocol : STREAMING) {
          assertThat(second.value("streamedge_gop_cache_joins_total", "protocol", protocol)).as(protocol)
              .isEqualTo(1);
          // From the GOP cache the first frame goes out at once, not after a wait for a keyframe.
          assertThat(second.value("streamedge_player_first_frame_seconds_sum", "protocol", protocol)).as(protocol)
              .isLessThan(1.0);
          assertThat(second.value("streamedge_player_dropped_frames_total", "protocol", protocol)).as(protocol)
              .isZero();
          assertGrows(first, second, "streamedge_sent_bytes_total", protocol);
        }
        assertGrows(first, second, "streamedge_sent_bytes_total", "hls");
        // What the server counts is what the client got, give or take the frames on the wire; a count
        // of each write twice, or of a part of it, would be far off.
        assertThat(second.value("streamedge_sent_bytes_total", "protocol", "ws-flv")).as("ws-flv bytes sent")
            .isGreaterThanOrEqualTo(later.get().wsReceivedBefore())
            .isLessThanOrEqualTo(later.get().wsReceivedAfter() + 256 * 1024);
        // Vert.x's and the JVM's meters come in the same scrape.
        assertThat(second.value("vertx_net_server_active_connections", "local", "127.0.0.1:" + node.rtmpPort()))
            .as("the publisher's and the RTMP and RTMPE players' connections").isEqualTo(3);
        assertThat(second.value("vertx_net_server_active_connections", "local",
            "127.0.0.1:" + node.node().rtmpsPort())).as("the RTMPS player's connection").isEqualTo(1);
        assertThat(second.has("jvm_memory_used_bytes")).isTrue();

        // The viewer stops after the request under way, so that its counts are final.
        viewer.finish();
        Prometheus afterHls = node.scrape();
        assertThat(afterHls.value("streamedge_hls_playlists_served_total")).isEqualTo(hls.playlists.get());
        assertThat(afterHls.value("streamedge_hls_segments_served_total")).isEqualTo(hls.segments.get());
      }
      ws.close();
      wsClient.close();
      ChildProcesses.stop(rtmp);
      ChildProcesses.stop(rtmps);
      ChildProcesses.stop(rtmpe);
      ChildProcesses.stop(httpFlv);
      awaitMetric(node, "no player on any protocol", s -> STREAMING.stream().allMatch(
          p -> s.value("streamedge_players", "protocol", p) == 0));

      ChildProcesses.stop(publisher);
      awaitMetric(node, "no publisher and no live stream", s -> s.value("streamedge_publishers", "protocol", "rtmp") == 0
          && s.value("streamedge_streams_live") == 0);
    } finally {
      vertx.close();
    }
  }

  @Test
  void stalledPlayerCountsDroppedFramesAndOneSlowDisconnect() throws Exception {
    Path media = TestMedia.audioVideo(4, 1);
    try (TestNode node = TestNode.start("--hls.on-demand-apps=*", "--player.max-behind=2s",
        "--player.queue-max-delay=500ms", "--player.socket-write-buffer=64KiB", "--player.socket-send-buffer=64KiB");
        RawRtmp stalled = RawRtmp.stalledPlayer(node.rtmpPort(), "slow")) {
      node.awaitSubscribers("slow", 1);
      processes.own(Clients.publishLooping("metrics-slow-publisher", media, node.rtmpUrl("slow")));
      awaitMetric(node, "the stalled player cut", s -> s.value("streamedge_slow_players_disconnected_total",
          "protocol", "rtmp") == 1);
      Prometheus scrape = node.scrape();
      assertThat(scrape.value("streamedge_player_dropped_frames_total", "protocol", "rtmp")).isPositive();
      assertThat(scrape.value("streamedge_players", "protocol", "rtmp")).isZero();
    }
  }

  @Test
  void connectionsBeyondTheLimitsAreCountedAsRefusedForTheLimit() throws Exception {
    // Metrics on a port of their own: the scrapes must not take the one HTTP connection allowed.
    try (TestNode node = TestNode.startWithMetricsPort("--rtmp.max-connections=1", "--http.max-connections=1");
        RawRtmp admitted = RawRtmp.connected(node.rtmpPort());
        Socket heldHttp = new Socket("127.0.0.1", node.node().httpPort())) {
      // Vert.x admits an HTTP connection once its first bytes show which HTTP version it speaks.
      assertThat(request(heldHttp)).as("the HTTP connection within the limit answered").isNotEqualTo(-1);
      try (RawRtmp refusedRtmp = RawRtmp.open(node.rtmpPort());
          Socket refusedHttp = new Socket("127.0.0.1", node.node().httpPort())) {
        assertThat(refusedRtmp.handshakeIfAccepted()).isFalse();
        assertThat(request(refusedHttp)).as("the HTTP connection past the limit is closed").isEqualTo(-1);
        awaitMetric(node, "two refusals", s -> s.value("streamedge_connections_refused_total", "reason", "limit") == 2);
        assertThat(node.scrape().value("streamedge_connections_refused_total", "reason", "auth")).isZero();
      }
    }
  }

  /** Sends a request and returns the first byte of the answer, -1 when the server closed the connection. */
  private static int request(Socket socket) throws Exception {
    socket.setSoTimeout(5000);
    socket.getOutputStream().write("GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    try {
      return socket.getInputStream().read();
    } catch (SocketException e) {
      return -1;
    }
  }

  private interface Condition {
    boolean holds(Prometheus scrape);
  }

  private static void awaitMetric(TestNode node, String what, Condition condition) throws Exception {
    Await.until(what + " in /metrics", WAIT, () -> condition.holds(node.scrape()));
  }

  private static boolean grew(Prometheus first, Prometheus second, String name, String protocol) {
    return second.value(name, "protocol", protocol) > first.value(name, "protocol", protocol);
  }

  private static void assertGrows(Prometheus first, Prometheus second, String name, String protocol) {
    double before = first.value(name, "protocol", protocol);
    assertThat(before).as(name + " " + protocol + " before").isPositive();
    assertThat(second.value(name, "protocol", protocol)).as(name + " " + protocol + " at the second scrape")
        .isGreaterThan(before);
  }

  /** A scrape, with the bytes the WebSocket player had received just before and just after it. */
  private record Scrape(Prometheus scrape, long wsReceivedBefore, long wsReceivedAfter) {
  }

  /** An HLS player as far as the server can tell: it reloads the playlist and fetches each new segment. */
  private static final class HlsViewer {

    private final String playlistUrl;
    final AtomicInteger playlists = new AtomicInteger();
    final AtomicInteger segments = new AtomicInteger();

    HlsViewer(String playlistUrl) {
      this.playlistUrl = playlistUrl;
    }

    void view(Background self) throws Exception {
      String lastSegment = null;
      while (self.running()) {
        String playlist = ok(Http.get(playlistUrl)).body();
        playlists.incrementAndGet();
        String newest = playlist.lines().filter(line -> line.endsWith(".ts")).reduce((a, b) -> b).orElseThrow();
        if (!newest.equals(lastSegment)) {
          ok(Http.get(URI.create(playlistUrl).resolve(newest).toString()));
          segments.incrementAndGet();
          lastSegment = newest;
        }
        // The player's reload interval, as players reload well within the target duration.
        Thread.sleep(500);
      }
    }

    private static HttpResponse<String> ok(HttpResponse<String> response) {
      assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(200);
      return response;
    }
  }
}
