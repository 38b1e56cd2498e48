package dev.streamedge.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.NodeProcess;
import dev.streamedge.testing.RecordingPlayer;
import dev.streamedge.testing.TestMedia;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nodes dying under a pulled stream, three JVMs on loopback: the viewers of a dead origin resume by
 * themselves when the publisher comes back on another node, and a dead edge costs its origin nothing.
 */
// Solo (docs/testing.md#lanes): beside another JVM, the node started in a killed one's place once formed a
// cluster of its own instead of joining within 60 s.
@Tag("cluster")
@Tag("solo")
class ClusterFailoverTest {

  private static final Duration JOIN = Duration.ofSeconds(60);
  private static final Duration EVENT = Duration.ofSeconds(10);
  private static final Pattern LAST_SEGMENT = Pattern.compile("(?s).*#EXTINF:[0-9.]+,\\s*\\n([^\\n]+)");

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  @Test
  void viewersOfAKilledOriginResumeOnTheSameConnectionWhenThePublisherMovesToAnotherNode() throws Exception {
    String key = "move";
    List<Integer> ports = NodeProcess.memberPorts(3);
    NodeProcess one = start("failover-node1", 0, ports);
    NodeProcess two = start("failover-node2", 1, ports);
    NodeProcess three = start("failover-node3", 2, ports);
    awaitMembers(3, one, two, three);
    Path media = TestMedia.audioVideo(4, 1);
    Process first = processes.own(Clients.publishLooping("failover-publisher-1", media, one.rtmpUrl(key)));
    one.awaitLog("publish \\S+ stream=live/" + key, EVENT);

    String playlistUrl = three.httpUrl("/hls/" + key + ".m3u8");
    Await.until("an HLS playlist on node 3", EVENT, () -> Http.get(playlistUrl).statusCode() == 200);
    RecordingPlayer player = RecordingPlayer.play(vertx, three.rtmpPort(), key);
    Await.until("video on node 3", EVENT, () -> player.keyframes() > 0);

    one.kill();
    ChildProcesses.kill(first);
    Await.until("UnpublishNotify on node 3", EVENT,
        () -> player.statuses.contains("NetStream.Play.UnpublishNotify"));
    // The playlist stops growing while nobody publishes: a window of more than two 1 s segments.
    String lastBefore = lastSegment(Http.get(playlistUrl).body());
    Thread.sleep(2500);
    assertThat(lastSegment(Http.get(playlistUrl).body())).as("last segment while nobody publishes")
        .isEqualTo(lastBefore);

    long republishedAt = System.nanoTime();
    processes.own(Clients.publishLooping("failover-publisher-2", media, two.rtmpUrl(key)));
    Await.until("video from the new origin on node 3", EVENT, () -> player.video().stream()
        .anyMatch(frame -> frame.keyframe() && frame.receivedNanos() > republishedAt));
    long resumedMillis = (player.video().stream()
        .filter(frame -> frame.keyframe() && frame.receivedNanos() > republishedAt)
        .findFirst().orElseThrow().receivedNanos() - republishedAt) / 1_000_000;
    System.out.println("viewer on node 3 resumed " + resumedMillis + " ms after the publisher started on node 2");
    assertThat(resumedMillis).as("ms from the new publisher's start to the first keyframe on node 3")
        .isLessThan(5000);
    assertThat(player.closedReason).as("the viewer's connection").isNull();
    assertThat(player.statuses).containsSubsequence("NetStream.Play.UnpublishNotify", "NetStream.Play.PublishNotify");
    assertThat(three.log()).containsPattern("pull start stream=live/" + key + " from=" + Pattern.quote(two.nodeId()));
    long previous = -1;
    for (RecordingPlayer.Frame frame : player.frames) {
      if (frame.typeId() == MessageType.VIDEO) {
        assertThat(frame.timestamp()).as("video timestamps never go back across the move").isGreaterThanOrEqualTo(previous);
        previous = frame.timestamp();
      }
    }

    // HLS on node 3 goes on too, after a discontinuity.
    Await.until("new HLS segments after a discontinuity on node 3", EVENT, () -> {
      String playlist = Http.get(playlistUrl).body();
      int discontinuity = playlist.indexOf("#EXT-X-DISCONTINUITY\n");
      return discontinuity >= 0 && playlist.indexOf("#EXTINF", discontinuity) >= 0;
    });
  }

  @Test
  void anEdgeKilledWhilePullingIsDroppedByItsOriginAndANodeStartedInItsPlaceJoinsCleanly() throws Exception {
    String key = "drop";
    List<Integer> ports = NodeProcess.memberPorts(3);
    NodeProcess one = start("edge-death-node1", 0, ports);
    NodeProcess two = start("edge-death-node2", 1, ports);
    NodeProcess three = start("edge-death-node3", 2, ports);
    awaitMembers(3, one, two, three);
    processes.own(Clients.publishLooping("edge-death-publisher", TestMedia.audioVideo(4, 1), one.rtmpUrl(key)));
    one.awaitLog("publish \\S+ stream=live/" + key, EVENT);
    RecordingPlayer onTwo = RecordingPlayer.play(vertx, two.rtmpPort(), key);
    RecordingPlayer onThree = RecordingPlayer.play(vertx, three.rtmpPort(), key);
    Await.until("video on nodes 2 and 3", EVENT, () -> onTwo.keyframes() > 0 && onThree.keyframes() > 0);

    String dead = three.nodeId();
    three.kill();
    one.awaitLog("link stop stream=live/" + key + " edge=" + Pattern.quote(dead) + " reason=edge left the cluster",
        EVENT);
    int framesOnTwo = onTwo.frames.size();
    Await.until("node 2's viewer to go on", EVENT, () -> onTwo.frames.size() > framesOnTwo + 100);
    assertThat(onTwo.closedReason).isNull();

    // A new node on the dead one's cluster port is a clean member: it joins and pulls.
    NodeProcess again = start("edge-death-node3-again", 2, ports);
    awaitMembers(3, again);
    RecordingPlayer onAgain = RecordingPlayer.play(vertx, again.rtmpPort(), key);
    Await.until("video on the restarted node", EVENT, () -> onAgain.keyframes() > 0);
    one.awaitLog("link start stream=live/" + key + " edge=" + Pattern.quote(again.nodeId()), EVENT);
  }

  private NodeProcess start(String name, int index, List<Integer> ports) throws Exception {
    return processes.own(NodeProcess.cluster(name, ports.get(index), ports, "--cluster.pull-linger=2s",
        "--hls.target-duration=1s"));
  }

  private static void awaitMembers(int count, NodeProcess... nodes) throws Exception {
    for (NodeProcess node : nodes) {
      node.awaitCluster(count, JOIN);
    }
  }

  private static String lastSegment(String playlist) {
    Matcher m = LAST_SEGMENT.matcher(playlist);
    return m.find() ? m.group(1) : "";
  }
}
