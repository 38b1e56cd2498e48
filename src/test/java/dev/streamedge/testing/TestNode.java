package dev.streamedge.testing;

import dev.streamedge.Node;
import dev.streamedge.config.ConfigLoader;
import dev.streamedge.config.StreamedgeConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real node in the test JVM, configured through the same command-line path users take, on free
 * loopback ports. Either started at once ({@link #start}, in try-with-resources), or registered as a
 * JUnit extension ({@link #extension}) that starts and closes it around the tests.
 */
public final class TestNode implements AutoCloseable, BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
    AfterEachCallback {

  private final boolean metricsPort;
  private final String[] options;
  private volatile Node node;
  private volatile boolean perClass;

  private TestNode(boolean metricsPort, String[] options) {
    this.metricsPort = metricsPort;
    this.options = options;
  }

  /**
   * Starts a node with {@code metrics.port} 0 (metrics and health on the HTTP port); {@code options} are
   * command-line options such as {@code --player.max-behind=3s}.
   */
  public static TestNode start(String... options) throws Exception {
    return started(false, options);
  }

  /** As {@link #start}, with {@code metrics.port} set to a free port of its own. */
  public static TestNode startWithMetricsPort(String... options) throws Exception {
    return started(true, options);
  }

  /**
   * A node for {@code @RegisterExtension}, with {@code options} as for {@link #start}: on a static
   * field it starts before the first test of the class and closes after the last one, on an instance
   * field it starts and closes around each test.
   */
  public static TestNode extension(String... options) {
    return new TestNode(false, options);
  }

  private static TestNode started(boolean metricsPort, String... options) throws Exception {
    TestNode node = new TestNode(metricsPort, options);
    node.startNode();
    return node;
  }

  /**
   * Starts the node on fresh ports, again on other ports should one be taken between its check and the
   * node's bind (FreePorts checks a port free, then the node binds it: another process may come between).
   */
  private void startNode() throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        startNodeOnce();
        return;
      } catch (ExecutionException e) {
        if (attempt == 3 || !String.valueOf(e.getCause()).contains("Address already in use")) {
          throw e;
        }
      }
    }
  }

  private void startNodeOnce() throws Exception {
    List<String> args = new ArrayList<>(List.of(
        "--rtmp.host=127.0.0.1",
        "--rtmp.port=" + FreePorts.next(),
        "--rtmp.rtmps.port=" + FreePorts.next(),
        "--rtmp.local-port=" + FreePorts.next(),
        "--http.host=127.0.0.1",
        "--http.port=" + FreePorts.next(),
        "--http.tls.port=" + FreePorts.next(),
        // Never the default srt.port: the nodes of parallel test forks would fight over it.
        "--srt.host=127.0.0.1",
        "--srt.port=" + FreePorts.next(),
        "--rtsp.host=127.0.0.1",
        "--rtsp.port=" + FreePorts.next()));
    // Never the default metrics.port: two nodes of one JVM would share its listener (Vert.x shares a
    // port between the servers of a process), and answer each other's probes.
    args.add("--metrics.port=" + (metricsPort ? FreePorts.next() : 0));
    // An option of the test's own replaces the default of the same key (an option may be given once).
    for (String option : options) {
      String key = option.split("=", 2)[0] + "=";
      args.removeIf(arg -> arg.startsWith(key));
    }
    args.addAll(List.of(options));
    StreamedgeConfig config = ConfigLoader.load(args.toArray(String[]::new), Map.of()).orElseThrow();
    node = Node.start(config).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    // Only an extension on a static field is called before all tests: the node serves the whole class.
    perClass = true;
    startNode();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    if (!perClass) {
      startNode();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (!perClass) {
      close();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    close();
  }

  /** Options that turn RTMPS on with the test certificate. */
  public static String[] rtmpsOptions() {
    return new String[] {
        "--rtmp.rtmps.cert=src/test/resources/tls/cert.pem",
        "--rtmp.rtmps.key=src/test/resources/tls/key.pem"};
  }

  /** Options that turn RTSPS on with the test certificate, on a port of its own. */
  public static String[] rtspsOptions() throws java.io.IOException {
    return new String[] {
        "--rtsp.tls.cert=src/test/resources/tls/cert.pem",
        "--rtsp.tls.key=src/test/resources/tls/key.pem",
        "--rtsp.tls.port=" + FreePorts.next()};
  }

  /** Options that turn HTTPS (and RTMPTS) on with the test certificate. */
  public static String[] httpsOptions() {
    return new String[] {
        "--http.tls.cert=src/test/resources/tls/cert.pem",
        "--http.tls.key=src/test/resources/tls/key.pem"};
  }

  public Node node() {
    Node started = node;
    if (started == null) {
      throw new IllegalStateException("the test node is not running: start it, or register it with @RegisterExtension");
    }
    return started;
  }

  public int rtmpPort() {
    return node().rtmpPort();
  }

  /** Open HTTP connections as the node counts them against http.max-connections. */
  public int httpConnections() {
    return node().httpConnections();
  }

  /** Open RTMP(S) connections as the node counts them against rtmp.max-connections. */
  public int rtmpConnections() {
    return node().rtmpConnections();
  }

  /** RTMPT sessions open now, as the node counts them against rtmpt.max-sessions. */
  public int rtmptSessions() {
    return node().rtmptSessions();
  }

  /** The UDP port of the node's SRT listener. */
  public int srtPort() {
    return node().srtPort();
  }

  /** {@code srt://127.0.0.1:<srt port>?streamid=<streamId>}, as ffmpeg takes it; {@code extra} is appended. */
  public String srtUrl(String streamId, String extra) {
    return "srt://127.0.0.1:" + srtPort() + "?streamid=" + streamId + extra;
  }

  /** The TCP port of the node's RTSP listener. */
  public int rtspPort() {
    return node().rtspPort();
  }

  /** {@code rtsps://127.0.0.1:<rtsps port>/<app>/<name>} (the test certificate names the address too). */
  public String rtspsUrl(String app, String name) {
    return "rtsps://127.0.0.1:" + node().rtspsPort() + "/" + app + "/" + name;
  }

  /** {@code rtsp://127.0.0.1:<rtsp port>/<app>/<name>}, as ffmpeg, VLC and GStreamer take it. */
  public String rtspUrl(String app, String name) {
    return "rtsp://127.0.0.1:" + rtspPort() + "/" + app + "/" + name;
  }

  public int httpPort() {
    return node().httpPort();
  }

  /** Bytes partly received RTMP messages hold on the node's account (rtmp.max-incomplete-bytes). */
  public long rtmpIncompleteBytes() {
    return node().rtmpIncompleteBytes();
  }

  public String rtmpUrl(String key) {
    return "rtmp://127.0.0.1:" + node().rtmpPort() + "/live/" + key;
  }

  /** The RTMPE URL of {@code key}: encrypted RTMP on the RTMP port. */
  public String rtmpeUrl(String key) {
    return "rtmpe://127.0.0.1:" + node().rtmpPort() + "/live/" + key;
  }

  public String httpUrl(String path) {
    return "http://127.0.0.1:" + node().httpPort() + path;
  }

  /** RTMP tunnelled over HTTP, on the HTTP port. */
  public String rtmptUrl(String key) {
    return "rtmpt://127.0.0.1:" + node().httpPort() + "/live/" + key;
  }

  /** RTMPE inside the tunnel (RTMPTE), on the HTTP port. */
  public String rtmpteUrl(String key) {
    return "rtmpte://127.0.0.1:" + node().httpPort() + "/live/" + key;
  }

  /** RTMP tunnelled over HTTPS, on the HTTPS port. */
  public String rtmptsUrl(String key) {
    return "rtmpts://127.0.0.1:" + node().httpsPort() + "/live/" + key;
  }

  /** {@code https://127.0.0.1:<https port><path>}. */
  public String httpsUrl(String path) {
    return "https://127.0.0.1:" + node().httpsPort() + path;
  }

  public String rtmpsUrl(String key) {
    return "rtmps://127.0.0.1:" + node().rtmpsPort() + "/live/" + key;
  }

  /** The URL of {@code /metrics}: on {@code metrics.port} when the node has one, else on the HTTP port. */
  public String metricsUrl() {
    int port = node().metricsPort() > 0 ? node().metricsPort() : node().httpPort();
    return "http://127.0.0.1:" + port + "/metrics";
  }

  /** One scrape of {@link #metricsUrl()}. */
  public Prometheus scrape() throws Exception {
    return Prometheus.scrape(metricsUrl());
  }

  /** Waits until {@code key} in app live has {@code count} subscribers. */
  public void awaitSubscribers(String key, int count) throws Exception {
    Await.until(count + " subscribers on live/" + key, java.time.Duration.ofSeconds(20), () -> node().registry()
        .info(new dev.streamedge.stream.StreamKey("live", key))
        .toCompletionStage().toCompletableFuture().get()
        .map(info -> info.subscribers() == count).orElse(false));
  }

  /** Waits until {@code key} in app live has a publisher. */
  public void awaitPublisher(String key) throws Exception {
    Await.until("a publisher on live/" + key, java.time.Duration.ofSeconds(20), () -> node().registry()
        .info(new dev.streamedge.stream.StreamKey("live", key))
        .toCompletionStage().toCompletableFuture().get()
        .map(info -> info.publisher() != null).orElse(false));
  }

  @Override
  public void close() throws Exception {
    Node started = node;
    node = null;
    if (started != null) {
      started.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
