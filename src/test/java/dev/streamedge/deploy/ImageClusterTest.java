package dev.streamedge.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.Podman;
import dev.streamedge.testing.RecordingPlayer;
import dev.streamedge.testing.TestMedia;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The image that the Dockerfile builds (scripts/test-image builds it with podman), run as users run
 * it: an origin and two edges, each a container on a podman network, clustered by their addresses.
 * ffmpeg publishes to the origin's published port and plays from the edges' published ports; a
 * container stopped with {@code podman stop} (SIGTERM) drains.
 */
@Tag("image")
class ImageClusterTest {

  private static final Duration JOIN = Duration.ofSeconds(90);
  private static final Duration EVENT = Duration.ofSeconds(15);
  private static final int RTMP = 1935;
  private static final int HTTP = 8080;
  private static final int METRICS = 8081;
  private static final int MEMBER = 5701;
  private static final Pattern SHUTDOWN_DONE = Pattern.compile("shutdown: done in (\\d+) ms");
  private static final Pattern TS_SEGMENT = Pattern.compile("(?m)^([^#\\s].*\\.ts)$");

  // The clients end first (extensions close in reverse order), then the containers go.
  @RegisterExtension
  @Order(1)
  final Podman podman = new Podman();
  @RegisterExtension
  @Order(2)
  final ChildProcesses processes = new ChildProcesses();
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  @Test
  void anOriginAndTwoEdgesInContainersServeThePublishedStreamAndAStoppedContainerDrains() throws Exception {
    assertThat(Podman.exec("image", "exists", Podman.image()).exit())
        .as("image " + Podman.image() + " (scripts/test-image builds it)").isZero();
    List<String> addresses = List.of(podman.address(10), podman.address(11), podman.address(12));
    String members = addresses.stream().map(a -> a + ":" + MEMBER).collect(Collectors.joining(","));
    Podman.Container origin = podman.start("origin", addresses.get(0), List.of(RTMP, METRICS),
        node(addresses.get(0), members, "origin"));
    Podman.Container edge1 = podman.start("edge1", addresses.get(1), List.of(RTMP, HTTP, METRICS),
        node(addresses.get(1), members, "edge"));
    Podman.Container edge2 = podman.start("edge2", addresses.get(2), List.of(RTMP, HTTP, METRICS),
        node(addresses.get(2), members, "edge"));
    List<Podman.Container> all = List.of(origin, edge1, edge2);
    for (Podman.Container node : all) {
      node.awaitLog("(cluster joined as node \\S+, 3 members|cluster member joined .*, 3 members)", JOIN);
      node.awaitLog("listening: ", JOIN);
    }

    for (Podman.Container node : all) {
      assertThat(node.inspect("{{.Config.User}}")).as(node.name() + "'s configured user").isEqualTo("10001");
      // The process the container runs, seen from the host: java itself (the entrypoint execs it),
      // as user 10001.
      String pid = node.inspect("{{.State.Pid}}");
      String status = Files.readString(Path.of("/proc", pid, "status"));
      assertThat(status).as(node.name() + "'s main process").containsPattern("(?m)^Uid:\\s+10001\\s+10001\\s");
      assertThat(Files.readString(Path.of("/proc", pid, "cmdline")).replace('\0', ' '))
          .startsWith("java ").contains("-jar /app/streamedge.jar");
      // No systemd here to run the health check on its interval: run it as its timer would.
      Podman.Result check = Podman.exec("healthcheck", "run", node.id());
      assertThat(check.exit()).as(node.name() + "'s HEALTHCHECK: " + check.output() + check.errors()).isZero();
      assertThat(node.inspect("{{.State.Health.Status}}")).as(node.name() + "'s health").isEqualTo("healthy");
      assertThat(Http.status(url(node, METRICS, "/health/ready"))).as(node.name() + " ready").isEqualTo(200);
      // The jar's manifest opens what Hazelcast asks for to java -jar, as the image runs it.
      assertThat(node.log()).as(node.name() + "'s log")
          .doesNotContain("without proper access to required Java packages");
    }

    playsOnTheEdgesWhatIsPublishedOnTheOrigin(origin, edge1, edge2);
    drains(origin, edge1, edge2);
  }

  private void playsOnTheEdgesWhatIsPublishedOnTheOrigin(Podman.Container origin, Podman.Container edge1,
      Podman.Container edge2) throws Exception {
    String key = "image";
    Path media = TestMedia.audioVideo(12, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    Process publisher = processes.own(Clients.publish("image-publisher", media, rtmpUrl(origin, key)));
    origin.awaitLog("publish \\S+ stream=live/" + key, EVENT);
    // The playlist request makes edge 2 pull; its 200 also shows that edge 2 knows the stream's origin.
    // The seed URL serves LL-HLS; the MPEG-TS variant sits next to its segments.
    String playlist = url(edge2, HTTP, "/hls/live/" + key + "/ts.m3u8");
    Await.until("an HLS playlist on edge 2", EVENT, () -> Http.status(playlist) == 200);
    Path rtmpHashes = Clients.output("image-edge1-rtmp.framemd5");
    Process rtmpPlayer = processes.own(Clients.playToHashes("image-edge1-rtmp-player", rtmpUrl(edge1, key),
        rtmpHashes));
    Path flvHashes = Clients.output("image-edge2-flv.framemd5");
    Process flvPlayer = processes.own(Clients.playToHashes("image-edge2-flv-player",
        url(edge2, HTTP, "/live/" + key + ".flv"), flvHashes));
    // An HLS segment of edge 2, packaged there from the pulled stream, decodes without an error.
    Await.until("a segment in edge 2's playlist", EVENT, () -> TS_SEGMENT.matcher(Http.get(playlist).body()).find());
    Matcher segment = TS_SEGMENT.matcher(Http.get(playlist).body());
    assertThat(segment.find()).isTrue();
    byte[] ts = Http.getBytes(url(edge2, HTTP, "/hls/live/" + key + "/" + segment.group(1).trim())).body();
    Path tsFile = Clients.output("image-edge2-segment.ts");
    Files.write(tsFile, ts);
    Ffmpeg.run("image-edge2-segment-decode", List.of("-v", "error", "-xerror", "-i", tsFile.toString(), "-f", "null",
        "-"), 30);
    assertThat(Ffmpeg.logTail("image-edge2-segment-decode").strip()).as("HLS segment decode errors").isEmpty();

    Ffmpeg.awaitSuccess("image-publisher", publisher, 60);
    Ffmpeg.awaitSuccess("image-edge1-rtmp-player", rtmpPlayer, 30);
    Ffmpeg.awaitSuccess("image-edge2-flv-player", flvPlayer, 30);
    FrameHashes.assertReceivedToTheEnd("RTMP on edge 1", published, FrameHashes.parse(rtmpHashes), 150);
    FrameHashes.assertReceivedToTheEnd("HTTP-FLV on edge 2", published, FrameHashes.parse(flvHashes), 150);
  }

  /**
   * podman stop sends SIGTERM: edge 1 lets its viewer go and exits at once, which may then play from
   * edge 2; the origin keeps its publisher for shutdown.drain-time, while edge 2's viewer plays on.
   */
  private void drains(Podman.Container origin, Podman.Container edge1, Podman.Container edge2) throws Exception {
    String key = "drain";
    processes.own(Clients.publishLooping("image-drain-publisher", TestMedia.audioVideo(4, 1), rtmpUrl(origin, key)));
    origin.awaitLog("publish \\S+ stream=live/" + key, EVENT);
    RecordingPlayer onEdge1 = RecordingPlayer.play(vertx, "127.0.0.1", edge1.hostPort(RTMP), key);
    RecordingPlayer onEdge2 = RecordingPlayer.play(vertx, "127.0.0.1", edge2.hostPort(RTMP), key);
    Await.until("video on both edges", EVENT, () -> onEdge1.keyframes() > 1 && onEdge2.keyframes() > 1);

    long edgeStop = stop(edge1);
    assertThat(edge1.inspect("{{.State.ExitCode}}")).as("edge 1's exit code: 128 + SIGTERM").isEqualTo("143");
    String edgeLog = edge1.log();
    assertThat(edgeLog).contains("draining: readiness is false");
    long edgeDrain = drainMillis(edge1);
    assertThat(onEdge1.statuses).as("edge 1's viewer is told").contains("NetStream.Play.UnpublishNotify");
    assertThat(onEdge1.closedReason).as("edge 1's viewer's connection").isNotNull();
    // The viewer comes back on the other edge, as through a load balancer.
    RecordingPlayer moved = RecordingPlayer.play(vertx, "127.0.0.1", edge2.hostPort(RTMP), key);
    Await.until("the moved viewer's video on edge 2", EVENT, () -> moved.keyframes() > 1);

    long originStopStart = System.nanoTime();
    int framesBefore = onEdge2.video().size();
    long originStop = stop(origin);
    assertThat(origin.inspect("{{.State.ExitCode}}")).as("the origin's exit code").isEqualTo("143");
    long originDrain = drainMillis(origin);
    // The publisher, which announced no reconnect capability, may go on for the whole drain time (20 s).
    assertThat(originDrain).as("ms the origin drained with its publisher").isBetween(19_000L, 25_000L);
    long framesDuringDrain = onEdge2.video().stream()
        .filter(f -> f.receivedNanos() > originStopStart + 15_000_000_000L).count();
    assertThat(framesDuringDrain).as("video frames on edge 2 in the last seconds of the origin's drain")
        .isGreaterThan(50);
    assertThat(onEdge2.video().size()).isGreaterThan(framesBefore);
    System.out.printf("image: edge 1 stopped in %d ms (drain %d ms), origin in %d ms (drain %d ms)%n", edgeStop,
        edgeDrain, originStop, originDrain);

    Podman.Result check = Podman.exec("healthcheck", "run", edge2.id());
    assertThat(check.exit()).as("edge 2's HEALTHCHECK after the others left: " + check.output() + check.errors())
        .isZero();
  }

  /** podman stop with time for the whole drain; how long it took, in ms. */
  private static long stop(Podman.Container node) throws Exception {
    long start = System.nanoTime();
    Podman.run("stop", "--time", "40", node.id());
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static long drainMillis(Podman.Container node) throws Exception {
    Matcher done = SHUTDOWN_DONE.matcher(node.log());
    assertThat(done.find()).as(node.name() + " logs the end of its shutdown").isTrue();
    return Long.parseLong(done.group(1));
  }

  /** The image's arguments for a cluster node at {@code address}, with the given role. */
  private static List<String> node(String address, String members, String role) {
    return new ArrayList<>(List.of("--cluster", "--cluster.host=" + address, "--cluster.members=" + members,
        "--cluster.eventbus.host=" + address, "--cluster.role=" + role, "--hls.target-duration=1s"));
  }

  private static String rtmpUrl(Podman.Container node, String key) throws Exception {
    return "rtmp://127.0.0.1:" + node.hostPort(RTMP) + "/live/" + key;
  }

  private static String url(Podman.Container node, int port, String path) throws Exception {
    return "http://127.0.0.1:" + node.hostPort(port) + path;
  }
}
