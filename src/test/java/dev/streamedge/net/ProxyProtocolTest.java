package dev.streamedge.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.media.MediaKind;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FlvFile;
import dev.streamedge.testing.FreePorts;
import dev.streamedge.testing.Haproxy;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.OtherAddress;
import dev.streamedge.testing.Prometheus;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node behind HAProxy with {@code rtmp.proxy-protocol} and {@code http.proxy-protocol} on. HAProxy connects
 * to the node from 127.0.0.2 and sends the client's address first (v1 to the RTMP port, v2 to the HTTP port);
 * the node's access rules let only 127.0.0.1 publish and play, so that a node reading HAProxy's own address
 * would refuse everyone and one reading the header lets the clients on 127.0.0.1 in.
 */
@Tag("e2e")
class ProxyProtocolTest {

  private static final String ONLY_LOOPBACK_ONE = "allow 127.0.0.1, deny all";

  @RegisterExtension
  final TestNode node = TestNode.extension("--rtmp.proxy-protocol=true", "--http.proxy-protocol=true",
      "--rtmp.handshake-timeout=2s", "--http.header-timeout=2s",
      "--auth.publish-access=" + ONLY_LOOPBACK_ONE, "--auth.play-access=" + ONLY_LOOPBACK_ONE,
      TestNode.rtmpsOptions()[0], TestNode.rtmpsOptions()[1], TestNode.httpsOptions()[0], TestNode.httpsOptions()[1],
      "--transcode.apps=tv", "--transcode.ladder=180p=320x180@300k", "--transcode.ffmpeg=" + Ffmpeg.DEBIAN_FFMPEG);
  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void clientsBehindHaproxyAreKnownByTheAddressItsHeaderCarries() throws Exception {
    int rtmp = FreePorts.next();
    int http = FreePorts.next();
    processes.own(Haproxy.start("proxy-protocol", List.of(
        new Haproxy.Front(rtmp, node.rtmpPort(), 1, "127.0.0.2"),
        new Haproxy.Front(http, node.httpPort(), 2, "127.0.0.2"))));

    // ffmpeg publishes and plays HTTP-FLV through HAProxy: publish-access and play-access let 127.0.0.1 in.
    publish("proxied-publisher", "rtmp://127.0.0.1:" + rtmp + "/live/proxied", "proxied");
    assertThat(videoPlayed("proxied-player", "http://127.0.0.1:" + http + "/live/proxied.flv"))
        .as("video packets played through HAProxy").isGreaterThan(50);

    // The API, asked through HAProxy too, lists the publisher by its own address, not HAProxy's.
    JsonObject clients = new JsonObject(Http.get("http://127.0.0.1:" + http + "/api/v1/clients").body());
    List<String> publishers = clients.getJsonArray("clients").stream().map(JsonObject.class::cast)
        .filter(client -> "publisher".equals(client.getString("role"))).map(client -> client.getString("address"))
        .toList();
    assertThat(publishers).as(clients.encodePrettily()).hasSize(1);
    assertThat(publishers.get(0)).as(clients.encodePrettily()).startsWith("127.0.0.1:");

    // A viewer on 127.0.0.3 comes through the same HAProxy: the header names it, and play-access refuses it.
    assertThat(OtherAddress.statusFrom(InetAddress.getByName("127.0.0.3"), http, "/live/proxied.flv", null))
        .as("HTTP-FLV for a client on 127.0.0.3").isEqualTo(403);
  }

  /** The header comes first, the TLS handshake after it: RTMPS and HTTPS behind HAProxy in TCP mode. */
  @Test
  void rtmpsAndHttpsClientsBehindHaproxyAreKnownByTheirHeader() throws Exception {
    int rtmps = FreePorts.next();
    int https = FreePorts.next();
    processes.own(Haproxy.start("proxy-protocol-tls", List.of(
        new Haproxy.Front(rtmps, node.node().rtmpsPort(), 2, "127.0.0.2"),
        new Haproxy.Front(https, node.node().httpsPort(), 1, "127.0.0.2"))));
    publish("proxied-rtmps-publisher", "rtmps://127.0.0.1:" + rtmps + "/live/secure", "secure");
    // ffmpeg does not check the test certificate; play-access lets only 127.0.0.1 play.
    assertThat(videoPlayed("proxied-https-player", "https://127.0.0.1:" + https + "/live/secure.flv"))
        .as("video packets played over HTTPS through HAProxy").isGreaterThan(50);
  }

  @Test
  void aConnectionWithoutTheHeaderIsClosedAndTheOthersGoOn() throws Exception {
    int rtmp = FreePorts.next();
    int http = FreePorts.next();
    processes.own(Haproxy.start("proxy-protocol-direct", List.of(
        new Haproxy.Front(rtmp, node.rtmpPort(), 2, "127.0.0.2"),
        new Haproxy.Front(http, node.httpPort(), 2, "127.0.0.2"))));
    publish("proxied-publisher-2", "rtmp://127.0.0.1:" + rtmp + "/live/through", "through");

    // Straight to the node's ports: an RTMP publisher and an HTTP request, neither sending a header.
    Process direct = processes.own(Clients.publish("unproxied-publisher", TestMedia.audioVideo(3, 1),
        node.rtmpUrl("direct")));
    assertThat(direct.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).as("ffmpeg gave up").isTrue();
    assertThat(direct.exitValue()).as(Ffmpeg.logTail("unproxied-publisher")).isNotZero();
    assertThat(closedWithoutAnswer(node.httpPort())).as("an HTTP request without a PROXY header").isTrue();
    // A client that sends nothing at all is closed after the handshake's time (2 s here).
    long started = System.nanoTime();
    try (Socket silent = new Socket()) {
      silent.connect(new InetSocketAddress("127.0.0.1", node.rtmpPort()), 2000);
      silent.setSoTimeout(10_000);
      assertThat(silent.getInputStream().read()).as("the silent client's connection ended").isEqualTo(-1);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));

    // Each of the two that sent bytes that are no header is counted (and logged); the silent one is not.
    String metrics = "http://127.0.0.1:" + http + "/metrics";
    Await.until("two bad-input refusals", Duration.ofSeconds(5), () -> Prometheus.scrape(metrics)
        .value("streamedge_connections_refused_total", "reason", "bad-input") == 2);
    Await.until("the publisher through HAProxy still live", Duration.ofSeconds(5), () -> node.node().registry()
        .info(new dev.streamedge.stream.StreamKey("live", "through")).toCompletionStage().toCompletableFuture().get()
        .map(info -> info.publisher() != null).orElse(false));
  }

  /**
   * What the node runs itself cannot send a header: its transcoder publishes the renditions, and an exec-style
   * ffmpeg publishes back, to rtmp.local-port on 127.0.0.1, which reads none.
   */
  @Test
  void theNodesOwnProgramsPublishToTheLocalPortWithoutAHeader() throws Exception {
    int rtmp = FreePorts.next();
    processes.own(Haproxy.start("proxy-protocol-own", List.of(new Haproxy.Front(rtmp, node.rtmpPort(), 1, "127.0.0.2"))));
    processes.own(Clients.publishLooping("proxied-tv-publisher", TestMedia.audioVideo(10, 1),
        "rtmp://127.0.0.1:" + rtmp + "/tv/ladder"));
    assertThat(node.node().localRtmpPort()).isNotEqualTo(node.rtmpPort());
    publish("local-port-publisher", "rtmp://127.0.0.1:" + node.node().localRtmpPort() + "/live/own", "own");
    Await.until("the transcoder's 180p rendition live", Duration.ofSeconds(30), () -> live("tv", "ladder_180p"));
  }

  /** A looping ffmpeg publisher of {@code url}, once the node has it as {@code live/<key>}. */
  private void publish(String name, String url, String key) throws Exception {
    processes.own(Clients.publishLooping(name, TestMedia.audioVideo(10, 1), url));
    node.awaitPublisher(key);
  }

  /** The video packets ffmpeg got in 3 s of HTTP-FLV from {@code url}. */
  private long videoPlayed(String name, String url) throws Exception {
    Path flv = Clients.output(name + ".flv");
    Process player = processes.own(Ffmpeg.start(name, List.of("-i", url, "-t", "3", "-c", "copy", "-y",
        flv.toString())));
    Ffmpeg.awaitSuccess(name, player, 30);
    return FlvFile.read(flv).stream().filter(packet -> packet.kind() == MediaKind.VIDEO).count();
  }

  private boolean live(String app, String name) throws Exception {
    return node.node().registry().info(new dev.streamedge.stream.StreamKey(app, name)).toCompletionStage()
        .toCompletableFuture().get().map(info -> info.publisher() != null).orElse(false);
  }

  /** Whether a GET sent straight to {@code port} ends with the connection closed and no byte of an answer. */
  private static boolean closedWithoutAnswer(int port) throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("GET /api/v1/clients HTTP/1.1\r\nHost: x\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      return in.read() == -1;
    }
  }
}
