package dev.streamedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.rtmp.client.RtmpPublishClient;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.RawClients;
import dev.streamedge.testing.TcpStates;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slow and idle HTTP clients cannot hold the node's connections: a request head or body that does not
 * arrive in time, and a kept-alive connection with nothing in flight, are closed; one address may be
 * capped; probes and scrapes have a listener of their own; and responses that legitimately last (an
 * HTTP-FLV or WebSocket-FLV stream, a playlist waiting for its first segment) are never cut.
 */
@Tag("e2e")
@Tag("timing")
class SlowHttpClientsTest {

  private static final String FLV_REQUEST = "GET /live/crowded.flv HTTP/1.1\r\nHost: streamedge\r\n\r\n";
  private static final String HEALTH_REQUEST = "GET /health/live HTTP/1.1\r\nHost: streamedge\r\n\r\n";
  private static final Pattern FIRST_URI = Pattern.compile("#EXTINF:[0-9.]+,\\s*\\n(\\S+)");

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void clientsTricklingTheirRequestHeadAreClosedAtTheHeaderTimeoutWhileProbesHttpFlvAndHlsGoOn() throws Exception {
    try (TestNode node = TestNode.startWithMetricsPort("--http.header-timeout=2s", "--http.max-connections=300",
        "--hls.target-duration=1s")) {
      processes.own(Clients.publishLooping("slowloris-publisher", TestMedia.audioVideo(6, 1),
          node.rtmpUrl("crowded")));
      try (Probes probes = Probes.start(opsUrl(node, "/health/ready"));
          RawClients slow = RawClients.connect(node.node().httpPort(), 200)) {
        node.awaitPublisher("crowded");
        // Four bytes a second: the 45-byte head would take 11 s.
        CompletableFuture<Void> trickled = CompletableFuture.runAsync(() -> {
          try {
            slow.trickle(FLV_REQUEST, Duration.ofMillis(250), Duration.ofSeconds(12));
            slow.awaitClosed(Duration.ofSeconds(2));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });

        // A real viewer meanwhile: ffmpeg reads 3 s of the stream over HTTP-FLV, and HLS serves.
        Path out = Clients.output("slowloris-viewer.framemd5");
        Ffmpeg.run("slowloris-viewer", List.of("-i", node.httpUrl("/live/crowded.flv"), "-t", "3", "-map", "0",
            "-c", "copy", "-f", "framemd5", "-y", out.toString()), 30);
        assertThat(FrameHashes.parse(out).video().size()).as("video packets the viewer read").isGreaterThan(60);
        assertHlsServes(node, "crowded");

        trickled.get(20, TimeUnit.SECONDS);
        List<Long> closedAfter = slow.closedAfterConnectMillis();
        assertThat(slow.open()).as("slow clients still open").isZero();
        assertThat(closedAfter).as("ms from connect to close, http.header-timeout 2 s")
            .allSatisfy(ms -> assertThat(ms).isBetween(1_900L, 4_000L));
        assertThat(slow.receivedStartingWith("HTTP/1.1 408 ")).as("answered 408 Request Timeout").isEqualTo(200);
        assertThat(node.scrape().value("streamedge_connections_refused_total", "reason", "header-timeout"))
            .isEqualTo(200);
        probes.assertAllAnswered200();
      }
    }
  }

  @Test
  void idleKeepAliveConnectionsFillingTheNodeAreClosedAtTheIdleTimeoutWhileProbesAnswer() throws Exception {
    try (TestNode node = TestNode.startWithMetricsPort("--http.max-connections=50", "--http.idle-timeout=2s");
        Probes probes = Probes.start(opsUrl(node, "/health/ready"));
        RawClients idle = RawClients.connect(node.node().httpPort(), 50)) {
      idle.send(HEALTH_REQUEST);
      idle.awaitReceived("\"UP\"", Duration.ofSeconds(10));
      assertThat(idle.receivedStartingWith("HTTP/1.1 200 ")).as("answered, then kept alive").isEqualTo(50);

      // The node is full: the next connection is closed unanswered, while probes and scrapes get through.
      try (RawClients oneMore = RawClients.connect(node.node().httpPort(), 1)) {
        oneMore.send(HEALTH_REQUEST);
        oneMore.awaitClosed(Duration.ofSeconds(1));
        assertThat(oneMore.open()).isZero();
        assertThat(oneMore.receivedStartingWith("HTTP/")).isZero();
      }
      // On a connection of its own that the node closes after the answer: a pooled keep-alive one would
      // idle out on the metrics port too, and count as a 51st idle-timeout close (once in CI).
      try (RawClients scrape = RawClients.connect(node.node().metricsPort(), 1)) {
        scrape.send("GET /metrics HTTP/1.1\r\nHost: streamedge\r\nConnection: close\r\n\r\n");
        scrape.awaitClosed(Duration.ofSeconds(5));
        assertThat(scrape.receivedStartingWith("HTTP/1.1 200 ")).as("a scrape of the full node").isEqualTo(1);
      }

      idle.awaitClosed(Duration.ofSeconds(6));
      assertThat(idle.open()).as("idle connections still open").isZero();
      assertThat(idle.closedAfterLastReceiveMillis()).as("ms from the response to the close, http.idle-timeout 2 s")
          .hasSize(50).allSatisfy(ms -> assertThat(ms).isBetween(1_900L, 3_500L));
      assertThat(Http.get(node.httpUrl("/health/ready")).statusCode()).as("a new client, once the idle ones left")
          .isEqualTo(200);
      assertThat(node.scrape().value("streamedge_connections_refused_total", "reason", "idle-timeout"))
          .isEqualTo(50);
      assertThat(node.scrape().value("streamedge_connections_refused_total", "reason", "limit")).isEqualTo(1);
      probes.assertAllAnswered200();
    }
  }

  @Test
  void responsesLastingLongerThanEveryTimeoutAreNotCut() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (TestNode node = TestNode.startWithMetricsPort("--http.header-timeout=1s", "--http.body-timeout=1s",
        "--http.idle-timeout=1s", "--hls.first-segment-wait=3s")) {
      processes.own(Clients.publishLooping("long-responses-publisher", TestMedia.audioVideo(6, 1),
          node.rtmpUrl("long")));
      node.awaitPublisher("long");

      // WebSocket-FLV, alongside: media still arrives after four times the idle timeout.
      AtomicLong wsBytes = new AtomicLong();
      AtomicBoolean wsClosed = new AtomicBoolean();
      // Referenced to the end: a client nothing refers to is closed by the garbage collector, sockets and all.
      WebSocketClient wsClient = vertx.createWebSocketClient();
      WebSocket ws = wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
              .setPort(node.node().httpPort()).setURI("/live/long.flv"))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      ws.binaryMessageHandler(data -> wsBytes.addAndGet(data.length()));
      ws.closeHandler(v -> wsClosed.set(true));

      // HTTP-FLV: ffmpeg reads 5 s of the stream on one response.
      Path out = Clients.output("long-flv-viewer.framemd5");
      Ffmpeg.run("long-flv-viewer", List.of("-i", node.httpUrl("/live/long.flv"), "-t", "5", "-map", "0",
          "-c", "copy", "-f", "framemd5", "-y", out.toString()), 30);
      assertThat(FrameHashes.parse(out).video().size()).as("video packets in 5 s at 25 fps").isGreaterThan(110);

      long wsBefore = wsBytes.get();
      Await.until("WebSocket-FLV bytes still arriving", Duration.ofSeconds(5), () -> wsBytes.get() > wsBefore);
      assertThat(wsClosed).as("WebSocket-FLV closed").isFalse();
      ws.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      wsClient.close();
      // Every connection, the WebSocket one included, is counted until it closes, and no longer.
      Await.until("no HTTP connection counted", Duration.ofSeconds(5), () -> node.httpConnections() == 0);

      // A playlist request that waits for a first segment that never comes: answered when the wait ends.
      RtmpPublishClient silent = RtmpPublishClient.publish(vertx, "127.0.0.1", node.rtmpPort(), "live", "silent",
          reason -> { }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      long asked = System.nanoTime();
      HttpResponse<String> waited = Http.get(node.httpUrl("/hls/silent.m3u8"));
      assertThat(waited.statusCode()).isEqualTo(404);
      assertThat((System.nanoTime() - asked) / 1_000_000).as("ms the playlist request waited")
          .isGreaterThanOrEqualTo(2_900L);
      silent.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      vertx.close();
    }
  }

  @Test
  void anHttpFlvViewerThatStoppedReadingIsClosedMaxBehindAfterTheStreamEnds() throws Exception {
    try (TestNode node = TestNode.start(withSmallBuffers("--player.max-behind=5s"))) {
      Process publisher = processes.own(Clients.publish("stalled-flv-publisher", TestMedia.audioVideo(2, 1),
          node.rtmpUrl("stalled")));
      node.awaitPublisher("stalled");
      try (Socket stalled = stalledFlvViewer(node, "stalled")) {
        Ffmpeg.awaitSuccess("stalled-flv-publisher", publisher, 30);
        long ended = System.nanoTime();
        // The server's side of the connection: open while the client may still catch up...
        assertThat(serverSide(node, stalled)).contains(TcpStates.ESTABLISHED);
        // ...and closed, with what the client never read, once player.max-behind has passed.
        awaitServerClosed(node, stalled);
        assertThat((System.nanoTime() - ended) / 1_000_000).as("ms from the stream's end to the close")
            .isBetween(4_000L, 8_000L);
      }
    }
  }

  @Test
  void anHttpFlvViewerThatStoppedReadingIsClosedOnceMaxBehindWhileTheStreamGoesOn() throws Exception {
    // Behind for max-behind (2 s), found by a probe that comes about once per max-behind.
    assertClosedWhileTheStreamGoesOn("behind", "", 1_500L, 8_000L);
  }

  @Test
  void aWebSocketFlvViewerThatStoppedReadingIsClosedWithinTwiceMaxBehindWhileTheStreamGoesOn() throws Exception {
    // Cut once behind for max-behind; its close frame then has max-behind more to go out.
    assertClosedWhileTheStreamGoesOn("wsbehind", "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n", 3_000L, 12_000L);
  }

  /**
   * A viewer of {@code key} (with {@code headers} in its request) that reads nothing, on a looping stream
   * and a node with {@code player.max-behind=2s}: the server closes its side of the socket between
   * {@code minMillis} and {@code maxMillis} after the request.
   */
  private void assertClosedWhileTheStreamGoesOn(String key, String headers, long minMillis, long maxMillis)
      throws Exception {
    try (TestNode node = TestNode.start(withSmallBuffers("--player.max-behind=2s"))) {
      processes.own(Clients.publishLooping(key + "-publisher", TestMedia.audioVideo(6, 1), node.rtmpUrl(key)));
      node.awaitPublisher(key);
      try (Socket stalled = stalledFlvViewer(node, key, headers)) {
        long asked = System.nanoTime();
        awaitServerClosed(node, stalled);
        assertThat((System.nanoTime() - asked) / 1_000_000).as("ms from the request to the close")
            .isBetween(minMillis, maxMillis);
      }
    }
  }

  /** Small socket buffers, so that most of a stream waits on the server's side of a client that reads nothing. */
  private static String[] withSmallBuffers(String option) {
    return new String[] {option, "--player.socket-send-buffer=16KiB", "--player.socket-write-buffer=16KiB"};
  }

  /** A socket that asks for {@code key}'s HTTP-FLV and reads nothing, into a 4 KiB receive buffer. */
  private static Socket stalledFlvViewer(TestNode node, String key) throws Exception {
    return stalledFlvViewer(node, key, "");
  }

  /** The same, with {@code headers} (lines ending in CRLF) in the request: a WebSocket upgrade. */
  private static Socket stalledFlvViewer(TestNode node, String key, String headers) throws Exception {
    Socket stalled = new Socket();
    stalled.setReceiveBufferSize(4096);
    stalled.connect(new InetSocketAddress("127.0.0.1", node.node().httpPort()));
    stalled.getOutputStream().write(("GET /live/" + key + ".flv HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    return stalled;
  }

  /** The kernel's state of the server's side of {@code client}'s connection. */
  private static Optional<String> serverSide(TestNode node, Socket client) throws Exception {
    return TcpStates.of(node.node().httpPort(), client.getLocalPort());
  }

  /** Until the server closed its side of {@code client}'s connection, which cannot be seen by reading. */
  private static void awaitServerClosed(TestNode node, Socket client) throws Exception {
    Await.until("the server's close of a viewer that reads nothing", Duration.ofSeconds(15),
        () -> !serverSide(node, client).equals(Optional.of(TcpStates.ESTABLISHED)));
  }

  @Test
  void aRequestBodyTrickledSlowerThanTheBodyTimeoutIsCut() throws Exception {
    try (TestNode node = TestNode.startWithMetricsPort("--http.body-timeout=1s");
        RawClients slow = RawClients.connect(node.node().httpPort(), 1)) {
      slow.send("DELETE /api/v1/clients/nosuch HTTP/1.1\r\nHost: streamedge\r\nContent-Length: 40\r\n\r\n");
      slow.trickle("x".repeat(40), Duration.ofMillis(250), Duration.ofSeconds(12));
      slow.awaitClosed(Duration.ofSeconds(2));
      assertThat(slow.open()).isZero();
      assertThat(slow.closedAfterConnectMillis()).as("ms from connect to close, http.body-timeout 1 s")
          .allSatisfy(ms -> assertThat(ms).isBetween(900L, 2_500L));
      assertThat(node.scrape().value("streamedge_connections_refused_total", "reason", "body-timeout"))
          .isEqualTo(1);
    }
  }

  @Test
  void anAddressPastItsConnectionCapIsClosedAtOnceWhileOtherAddressesAreServed() throws Exception {
    try (TestNode node = TestNode.startWithMetricsPort("--http.max-connections-per-address=3");
        RawClients three = RawClients.connect(node.node().httpPort(), 3)) {
      three.send(HEALTH_REQUEST);
      three.awaitReceived("\"UP\"", Duration.ofSeconds(5));
      assertThat(three.receivedStartingWith("HTTP/1.1 200 ")).isEqualTo(3);
      try (RawClients fourth = RawClients.connect(node.node().httpPort(), 1);
          RawClients elsewhere = RawClients.connectFrom("127.0.0.2", node.node().httpPort(), 1)) {
        fourth.send(HEALTH_REQUEST);
        elsewhere.send(HEALTH_REQUEST);
        fourth.awaitClosed(Duration.ofSeconds(1));
        elsewhere.awaitReceived("\"UP\"", Duration.ofSeconds(5));
        assertThat(fourth.receivedStartingWith("HTTP/")).as("the fourth from 127.0.0.1").isZero();
        assertThat(elsewhere.receivedStartingWith("HTTP/1.1 200 ")).as("one from 127.0.0.2").isEqualTo(1);
      }
      assertThat(node.scrape().value("streamedge_connections_refused_total", "reason", "address-limit"))
          .isEqualTo(1);
    }
  }

  private static void assertHlsServes(TestNode node, String key) throws Exception {
    HttpResponse<String> playlist = Http.get(node.httpUrl("/hls/" + key + ".m3u8"));
    assertThat(playlist.statusCode()).isEqualTo(200);
    Matcher uri = FIRST_URI.matcher(playlist.body());
    assertThat(uri.find()).as(playlist.body()).isTrue();
    assertThat(Http.get(node.httpUrl("/hls/" + uri.group(1))).statusCode()).isEqualTo(200);
  }

  private static String opsUrl(TestNode node, String path) {
    return "http://127.0.0.1:" + node.node().metricsPort() + path;
  }

  /**
   * Polls a probe URL every 100 ms on a thread of its own, as a kubelet does: a new connection each
   * time, one second to answer. Like Kubernetes' startup probe, the first answer may take longer (a
   * node's first request runs cold code). Keeps every answer.
   */
  private static final class Probes implements AutoCloseable {

    private final URI uri;
    private final byte[] request;
    private final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    private Probes(String url) throws Exception {
      uri = URI.create(url);
      request = ("GET " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);
      assertThat(status(Duration.ofSeconds(10))).as("the first probe").isEqualTo(200);
      thread = new Thread(() -> {
        while (running) {
          int status;
          try {
            status = status(Duration.ofSeconds(1));
          } catch (Exception e) {
            failures.add("after " + statuses.values().stream().mapToInt(Integer::intValue).sum() + " probes: " + e);
            status = -1;
          }
          statuses.merge(status, 1, Integer::sum);
          try {
            // The probe period, as a kubelet's.
            Thread.sleep(100);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "probes");
      thread.start();
    }

    static Probes start(String url) throws Exception {
      return new Probes(url);
    }

    private int status(Duration timeout) throws Exception {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) timeout.toMillis());
        socket.setSoTimeout((int) timeout.toMillis());
        socket.getOutputStream().write(request);
        String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(),
            StandardCharsets.US_ASCII)).readLine();
        return Integer.parseInt(statusLine.split(" ")[1]);
      }
    }

    /** Every probe so far answered 200, and there were some. */
    void assertAllAnswered200() {
      assertThat(statuses.keySet()).as("probe answers by status (-1: no answer): " + statuses + ", failures "
          + failures).containsOnly(200);
      assertThat(statuses.get(200)).isGreaterThan(5);
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      thread.join(5_000);
    }
  }
}
