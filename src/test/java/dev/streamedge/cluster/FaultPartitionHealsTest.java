package dev.streamedge.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.NetworkNamespaces;
import dev.streamedge.testing.NodeProcess;
import dev.streamedge.testing.RecordingPlayer;
import dev.streamedge.testing.TestMedia;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An origin and an edge on two simulated hosts lose each other for 10 s (every packet between them
 * dropped, the clients' links untouched), then the network heals: the edge's viewer, still on its
 * connection, gets the stream again from a keyframe, the two directories agree on one origin, and
 * neither node kept what it could not send or receive meanwhile.
 */
@Tag("faults")
class FaultPartitionHealsTest {

  private static final Duration JOIN = Duration.ofSeconds(60);
  private static final Duration EVENT = Duration.ofSeconds(10);
  /** Hazelcast looks for the other side every cluster.max-no-heartbeat (5 s) once the network is back. */
  private static final Duration MERGE = Duration.ofSeconds(30);
  private static final Duration PARTITION = Duration.ofSeconds(10);
  private static final int MEMBER_PORT = 5701;
  /** The live data a node may gain across the partition: 4 windows of cluster.link-window (4 MiB). */
  private static final long HEAP_GROWTH_LIMIT = 16L << 20;

  // The processes end first (extensions close in reverse order), then the namespaces go.
  @RegisterExtension
  @Order(1)
  final NetworkNamespaces network = new NetworkNamespaces();
  @RegisterExtension
  @Order(2)
  final ChildProcesses processes = new ChildProcesses();
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  @Test
  void anEdgeCutOffFromItsOriginFor10SecondsResumesItsViewersAndTheDirectoriesAgreeAfterTheHeal() throws Exception {
    String key = "cut";
    NetworkNamespaces.Host a = network.host("faults-partition-origin");
    NetworkNamespaces.Host c = network.host("faults-partition-edge");
    List<String> members = List.of(a.address() + ":" + MEMBER_PORT, c.address() + ":" + MEMBER_PORT);
    NodeProcess origin = processes.own(NodeProcess.clusterOn(a, MEMBER_PORT, members, FaultChecks.API_OPTION));
    NodeProcess edge = processes.own(NodeProcess.clusterOn(c, MEMBER_PORT, members, FaultChecks.API_OPTION,
        "--cluster.role=edge"));
    origin.awaitCluster(2, JOIN);
    edge.awaitCluster(2, JOIN);
    processes.own(Clients.publishLooping("faults-partition-publisher", TestMedia.audioVideo(4, 1),
        origin.rtmpUrl(key)));
    origin.awaitLog("publish \\S+ stream=live/" + key, EVENT);
    RecordingPlayer viewer = RecordingPlayer.play(vertx, edge.host(), edge.rtmpPort(), key);
    Await.until("two keyframes on the edge", EVENT, () -> viewer.keyframes() > 1);
    long originHeapBefore = FaultChecks.heapAfterGc(origin);
    long edgeHeapBefore = FaultChecks.heapAfterGc(edge);

    long partitionedAt = System.nanoTime();
    network.partition(a, c);
    edge.awaitLog("cluster member left .*" + Pattern.quote(a.address()), PARTITION);
    origin.awaitLog("cluster member left .*" + Pattern.quote(c.address()), PARTITION);
    long originHeapCut = FaultChecks.heapAfterGc(origin);
    // The fault itself lasts 10 s: the time is the scenario's, nothing is waited on here.
    Thread.sleep(Math.max(0, PARTITION.toMillis() - (System.nanoTime() - partitionedAt) / 1_000_000));
    long lastBefore = viewer.video().stream().mapToLong(RecordingPlayer.Frame::receivedNanos).max().orElseThrow();

    long healedAt = System.nanoTime();
    network.heal(a, c);
    Await.until("video on the edge after the heal", MERGE, () -> viewer.video().stream()
        .anyMatch(frame -> frame.receivedNanos() > healedAt));
    RecordingPlayer.Frame firstAfter = viewer.video().stream().filter(frame -> frame.receivedNanos() > healedAt)
        .findFirst().orElseThrow();
    long resumeMillis = (firstAfter.receivedNanos() - healedAt) / 1_000_000;
    long gapMillis = (firstAfter.receivedNanos() - lastBefore) / 1_000_000;
    // The edge goes back to live, and its timestamps count on across the gap: what the viewer misses
    // is the gap, 25 frames a second of the test media.
    long framesLost = gapMillis / 40;

    Await.until("both directories to name the origin, once", EVENT, () ->
        FaultChecks.directoryOrigins(origin, key).equals(List.of(origin.nodeId()))
            && FaultChecks.directoryOrigins(edge, key).equals(List.of(origin.nodeId())));
    assertThat(FaultChecks.publishingNodes(key, origin, edge)).as("nodes with a publisher of the key")
        .containsExactly(origin.name());
    long originHeapAfter = FaultChecks.heapAfterGc(origin);
    long edgeHeapAfter = FaultChecks.heapAfterGc(edge);
    System.out.printf("10 s partition origin|edge: edge viewer resumed %d ms after the heal (video gap %d ms,"
            + " %d frames at 25 fps not shown); live heap origin %d -> %d (cut) -> %d KiB, edge %d -> %d KiB%n",
        resumeMillis, gapMillis, framesLost, originHeapBefore >> 10, originHeapCut >> 10, originHeapAfter >> 10,
        edgeHeapBefore >> 10, edgeHeapAfter >> 10);

    assertThat(viewer.closedReason).as("the edge viewer's connection").isNull();
    assertThat(firstAfter.keyframe() || firstAfter.config()).as("the edge resumes from a keyframe, not mid-GOP")
        .isTrue();
    assertThat(viewer.video().stream().filter(frame -> frame.receivedNanos() > healedAt && !frame.config())
        .findFirst().orElseThrow().keyframe()).as("first picture after the heal is a keyframe").isTrue();
    assertThat(originHeapCut - originHeapBefore).as("origin's live heap gained while cut off")
        .isLessThan(HEAP_GROWTH_LIMIT);
    assertThat(originHeapAfter - originHeapBefore).as("origin's live heap gained across the partition")
        .isLessThan(HEAP_GROWTH_LIMIT);
    assertThat(edgeHeapAfter - edgeHeapBefore).as("edge's live heap gained across the partition")
        .isLessThan(HEAP_GROWTH_LIMIT);
    assertThat(origin.log()).containsPattern("link stop stream=live/" + key + " edge=" + Pattern.quote(edge.nodeId()));
    int framesNow = viewer.video().size();
    Await.until("the edge viewer to go on playing", EVENT, () -> viewer.video().size() > framesNow + 50);
  }
}
