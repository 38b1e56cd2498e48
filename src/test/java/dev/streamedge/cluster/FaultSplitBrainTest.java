package dev.streamedge.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.NetworkNamespaces;
import dev.streamedge.testing.NodeProcess;
import dev.streamedge.testing.RecordingPlayer;
import dev.streamedge.testing.TestMedia;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A three-node cluster on three simulated hosts splits in two (Hazelcast's split brain): node A on one
 * side, B and C on the other. Each side goes on by itself, so a key published on A before the split
 * can get a second publisher on B's side; once the network heals and the sides merge, the policy
 * {@code reject} holds again: every directory names one origin per key, and only that node keeps a
 * publisher of it.
 */
@Tag("faults")
class FaultSplitBrainTest {

  private static final Duration JOIN = Duration.ofSeconds(60);
  private static final Duration EVENT = Duration.ofSeconds(10);
  private static final Duration MERGE = Duration.ofSeconds(30);
  private static final int MEMBER_PORT = 5701;

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
  void afterASplitBrainHealsEachKeyHasOneOriginAndOnePublisher() throws Exception {
    String key = "split";
    NetworkNamespaces.Host a = network.host("faults-split-a");
    NetworkNamespaces.Host b = network.host("faults-split-b");
    NetworkNamespaces.Host c = network.host("faults-split-c");
    List<String> members = List.of(a.address() + ":" + MEMBER_PORT, b.address() + ":" + MEMBER_PORT,
        c.address() + ":" + MEMBER_PORT);
    NodeProcess nodeA = start(a, members);
    NodeProcess nodeB = start(b, members);
    NodeProcess nodeC = start(c, members);
    for (NodeProcess node : List.of(nodeA, nodeB, nodeC)) {
      node.awaitCluster(3, JOIN);
    }
    Path media = TestMedia.audioVideo(4, 1);
    Process onA = processes.own(Clients.publishLooping("faults-split-publisher-a", media, nodeA.rtmpUrl(key)));
    nodeA.awaitLog("publish \\S+ stream=live/" + key, EVENT);
    RecordingPlayer viewer = RecordingPlayer.play(vertx, nodeC.host(), nodeC.rtmpPort(), key);
    Await.until("video on C", EVENT, () -> viewer.keyframes() > 1);

    // The split: A alone, B and C together.
    network.partition(a, b);
    network.partition(a, c);
    // B and C both clean the departed node's entries up; whichever comes first removes them.
    Pattern removed = Pattern.compile("directory: removed \\[[^\\]]*live/" + key + "\\b[^\\]]*\\] of departed node "
        + Pattern.quote(nodeA.nodeId()));
    Await.until("B's side to drop A's entries", EVENT, () -> removed.matcher(nodeB.log() + nodeC.log()).find());
    nodeA.awaitLog("cluster member left .*, 1 members", EVENT);
    // B's side no longer sees A's claim: a publisher there gets the key (availability over consistency),
    Process onB = processes.own(Clients.publishLooping("faults-split-publisher-b", media, nodeB.rtmpUrl(key)));
    nodeB.awaitLog("publish \\S+ stream=live/" + key, EVENT);
    long republishedAt = System.nanoTime();
    Await.until("C's viewer to follow B", EVENT, () -> viewer.video().stream()
        .anyMatch(frame -> frame.keyframe() && frame.receivedNanos() > republishedAt));
    // but the policy holds within a side: a second publisher on C is refused.
    Process onC = processes.own(Clients.publish("faults-split-publisher-c", media, nodeC.rtmpUrl(key)));
    assertThat(onC.waitFor(15, TimeUnit.SECONDS)).as("the publisher on C is refused").isTrue();
    assertThat(Ffmpeg.logTail("faults-split-publisher-c")).contains("live/" + key + " is already being published");
    assertThat(FaultChecks.publishingNodes(key, nodeA, nodeB, nodeC)).as("origins during the split")
        .containsExactlyInAnyOrder(nodeA.name(), nodeB.name());

    long healedAt = System.nanoTime();
    network.heal(a, b, c);
    Await.until("all three directories to name one and the same origin", MERGE, () -> {
      List<String> origins = FaultChecks.directoryOrigins(nodeA, key);
      return origins.size() == 1 && FaultChecks.directoryOrigins(nodeB, key).equals(origins)
          && FaultChecks.directoryOrigins(nodeC, key).equals(origins);
    });
    long convergedMillis = (System.nanoTime() - healedAt) / 1_000_000;
    String origin = FaultChecks.directoryOrigins(nodeA, key).get(0);
    NodeProcess winner = origin.equals(nodeA.nodeId()) ? nodeA : nodeB;
    NodeProcess loser = winner == nodeA ? nodeB : nodeA;
    Process losingPublisher = winner == nodeA ? onB : onA;
    Await.until("the losing side's publisher to be disconnected", MERGE,
        () -> FaultChecks.publishingNodes(key, nodeA, nodeB, nodeC).equals(List.of(winner.name())));
    long oneOriginMillis = (System.nanoTime() - healedAt) / 1_000_000;
    System.out.printf("split brain A|BC healed: directories agree on %s after %d ms, one publisher (%s) after %d ms%n",
        winner.name(), convergedMillis, winner.name(), oneOriginMillis);
    Await.until("the losing publisher's ffmpeg to end", EVENT, () -> !losingPublisher.isAlive());
    assertThat(loser.log()).containsPattern("unpublish \\S+ stream=live/" + key);
    assertThat(viewer.closedReason).as("C's viewer's connection").isNull();
    long afterMerge = System.nanoTime();
    Await.until("C's viewer to play after the merge", EVENT, () -> viewer.video().stream()
        .filter(frame -> frame.receivedNanos() > afterMerge).count() > 50);
  }

  private NodeProcess start(NetworkNamespaces.Host host, List<String> members) throws Exception {
    return processes.own(NodeProcess.clusterOn(host, MEMBER_PORT, members, FaultChecks.API_OPTION,
        "--stream.publish-policy=reject"));
  }
}
