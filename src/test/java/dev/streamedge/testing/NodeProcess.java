package dev.streamedge.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node in its own JVM, started as users start it ({@code dev.streamedge.Main [--cluster ...]})
 * from the test classpath, on loopback with free ports. Its log is {@code target/node-logs/<name>.log},
 * which is also how tests observe it: the node's own one-line events.
 */
public final class NodeProcess implements AutoCloseable {

  private static final Path LOGS = Path.of("target", "node-logs");
  private static final Pattern NODE_ID = Pattern.compile("cluster joined as node (\\S+),");

  private final String name;
  private final Process process;
  private final Path log;
  private final String host;
  private final int rtmpPort;
  private final int httpPort;
  private final int srtPort;
  private final int rtspPort;

  private NodeProcess(String name, Process process, Path log, String host, int rtmpPort, int httpPort, int srtPort,
      int rtspPort) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.host = host;
    this.rtmpPort = rtmpPort;
    this.httpPort = httpPort;
    this.srtPort = srtPort;
    this.rtspPort = rtspPort;
  }

  /** Free loopback ports for the Hazelcast members of a cluster of {@code count} nodes. */
  public static List<Integer> memberPorts(int count) throws IOException {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ports.add(FreePorts.next());
    }
    return ports;
  }

  /**
   * Starts a node on Hazelcast port {@code memberPort} that joins the members on {@code memberPorts}.
   *
   * @param options further command-line options, such as {@code --stream.publish-policy=reject}
   */
  public static NodeProcess cluster(String name, int memberPort, List<Integer> memberPorts, String... options)
      throws IOException {
    List<String> args = new ArrayList<>(List.of(
        "--cluster",
        "--cluster.host=127.0.0.1",
        "--cluster.port=" + memberPort,
        "--cluster.members=" + String.join(",", memberPorts.stream().map(p -> "127.0.0.1:" + p).toList()),
        "--cluster.eventbus.host=127.0.0.1",
        // The members of a test start together on loopback, where nobody is master yet: one second of
        // asking for one is plenty (the default 5 s is most of a cluster's start-up).
        "--cluster.join-timeout=1s"));
    args.addAll(List.of(options));
    return launch(name, List.of(), "127.0.0.1", args);
  }

  /**
   * Starts a node on a simulated host ({@link NetworkNamespaces}): its JVM runs in the host's network
   * namespace, and binds and announces the host's address for everything, clients and cluster alike.
   *
   * @param members the other members as {@code address:port}, this one included
   */
  public static NodeProcess clusterOn(NetworkNamespaces.Host host, int memberPort, List<String> members,
      String... options) throws IOException {
    List<String> args = new ArrayList<>(List.of(
        "--cluster",
        "--cluster.host=" + host.address(),
        "--cluster.port=" + memberPort,
        "--cluster.members=" + String.join(",", members),
        "--cluster.eventbus.host=" + host.address(),
        "--cluster.join-timeout=1s"));
    args.addAll(List.of(options));
    return launch(host.name(), host.exec(), host.address(), args);
  }

  /** Starts a single node, with no cluster. */
  public static NodeProcess single(String name, String... options) throws IOException {
    return launch(name, List.of(), "127.0.0.1", List.of(options));
  }

  private static NodeProcess launch(String name, List<String> prefix, String host, List<String> options)
      throws IOException {
    Files.createDirectories(LOGS);
    Path log = LOGS.resolve(name + ".log");
    int rtmpPort = FreePorts.next();
    int httpPort = FreePorts.next();
    int srtPort = FreePorts.next();
    int rtspPort = FreePorts.next();
    // ip netns exec execs the JVM in place, so the process (and its pid, for kill -9) is the JVM's.
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // Several nodes and ffmpeg share two cores: a small heap and the serial collector keep them light.
        // No dead wood: the serial collector's full collection otherwise leaves up to 5% of the old
        // generation's dead objects in place as int[] fillers, which jcmd GC.class_histogram counts as
        // live; the tests that read a node's live heap saw it rise 2-6 MB per 5 s that way.
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:MarkSweepDeadRatio=0",
        // Hazelcast waits 5 s for other members before it forms or joins a cluster; the tests start
        // their members together, on loopback, where one second is plenty.
        "-Dhazelcast.wait.seconds.before.join=1",
        "-cp", System.getProperty("java.class.path"),
        "dev.streamedge.Main",
        "--rtmp.host=" + host,
        "--rtmp.port=" + rtmpPort,
        "--rtmp.rtmps.port=" + FreePorts.next(),
        "--rtmp.local-port=" + FreePorts.next(),
        "--http.host=" + host,
        "--http.port=" + httpPort,
        // The tests that run several of these at once would fight over the default metrics.port, srt.port
        // and rtsp.port.
        "--metrics.port=0",
        "--srt.host=" + host,
        "--srt.port=" + srtPort,
        "--rtsp.host=" + host,
        "--rtsp.port=" + rtspPort));
    command.addAll(options);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new NodeProcess(name, process, log, host, rtmpPort, httpPort, srtPort, rtspPort);
  }

  /**
   * Waits until this node has seen a cluster of {@code members} members (at its join, or as members
   * joined later) and listens for clients.
   */
  public void awaitCluster(int members, Duration timeout) throws Exception {
    awaitLog("(cluster joined as node \\S+, " + members + " members|cluster member joined .*, " + members
        + " members)", timeout);
    awaitLog("listening: ", timeout);
  }

  public String rtmpUrl(String key) {
    return "rtmp://" + host + ":" + rtmpPort + "/live/" + key;
  }

  /** The RTMPE form of {@link #rtmpUrl}: the same port, the encrypted handshake. */
  public String rtmpeUrl(String key) {
    return rtmpUrl(key).replaceFirst("^rtmp://", "rtmpe://");
  }

  /** {@code srt://<host>:<srt port>?streamid=<streamId>}, as ffmpeg takes it. */
  public String srtUrl(String streamId) {
    return "srt://" + host + ":" + srtPort + "?streamid=" + streamId;
  }

  /** {@code rtsp://<host>:<rtsp port>/live/<key>}. */
  public String rtspUrl(String key) {
    return "rtsp://" + host + ":" + rtspPort + "/live/" + key;
  }

  public int rtmpPort() {
    return rtmpPort;
  }

  /** RTMP tunnelled over HTTP, on the HTTP port. */
  public String rtmptUrl(String key) {
    return "rtmpt://" + host + ":" + httpPort + "/live/" + key;
  }

  /** {@code http://<host>:<port><path>} of this node. */
  public String httpUrl(String path) {
    return "http://" + host + ":" + httpPort + path;
  }

  /** The address this node binds and announces: 127.0.0.1, or its simulated host's. */
  public String host() {
    return host;
  }

  public long pid() {
    return process.pid();
  }

  public String name() {
    return name;
  }

  /** Everything the node logged so far. */
  public String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The lines of the log that hold {@code text}, for a failure's message. */
  public String linesWith(String text) {
    return log().lines().filter(line -> line.contains(text)).collect(java.util.stream.Collectors.joining("\n"));
  }

  /** Waits until a line of the log matches {@code regex}; fails with the log's tail, or when the node died. */
  public void awaitLog(String regex, Duration timeout) throws Exception {
    Pattern pattern = Pattern.compile(regex);
    try {
      Await.until(name + " to log " + regex, timeout, () -> {
        if (pattern.matcher(log()).find()) {
          return true;
        }
        if (!process.isAlive()) {
          throw new AssertionError(name + " exited " + process.exitValue() + " before logging " + regex);
        }
        return false;
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n--- " + name + " log tail ---\n" + tail(), e);
    }
  }

  /** This node's cluster id, once it has joined. */
  public String nodeId() {
    Matcher m = NODE_ID.matcher(log());
    if (!m.find()) {
      throw new AssertionError(name + " has not joined a cluster yet\n" + tail());
    }
    return m.group(1);
  }

  /** As {@code kill -9}: no goodbye to the cluster, the others must notice by themselves. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  /** As {@code kill -STOP}: the node hangs with its sockets open, so only missing heartbeats give it away. */
  public void suspend() throws Exception {
    signal("-STOP");
  }

  /** As {@code kill -TERM}, what Kubernetes sends a pod it stops: the node shuts down gracefully. */
  public void terminate() throws Exception {
    signal("-TERM");
  }

  /** Waits for the process to end; its exit code, or -1 when it is still running after {@code timeout}. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  /** As {@code kill -CONT}, after {@link #suspend}. */
  public void resume() throws Exception {
    signal("-CONT");
  }

  private void signal(String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
    if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill " + signal + " " + process.pid() + " failed");
    }
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }

  private String tail() {
    List<String> lines = log().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
