package dev.streamedge.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.NodeProcess;
import dev.streamedge.testing.RecordingPlayer;
import dev.streamedge.testing.TestMedia;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two nodes in two JVMs on loopback, joined by {@code cluster.members}, and ffmpeg publishers: one key
 * has one origin in the whole cluster, whatever the publish policy, and a dead node gives its keys up.
 */
// Solo (docs/testing.md#lanes): it times how soon a killed origin's key is given up.
@Tag("cluster")
@Tag("solo")
class ClusterPublishTest {

  private static final Duration JOIN = Duration.ofSeconds(40);
  private static final Duration EVENT = Duration.ofSeconds(10);
  // cluster.max-no-heartbeat is 5s, checked every heartbeat (1s); a few seconds more for the cleanup.
  private static final Duration FAILURE_DETECTION = Duration.ofSeconds(10);

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void withRejectASecondPublisherOnAnotherNodeIsRefusedAndAKilledOriginGivesItsKeyUp() throws Exception {
    String key = "reject";
    NodeProcess[] cluster = startCluster("reject", "--stream.publish-policy=reject");
    NodeProcess one = cluster[0];
    NodeProcess two = cluster[1];

    Process first = publish("reject-first", one, key);
    one.awaitLog("directory: live/" + key + " origin is this node", EVENT);

    Process second = publish("reject-second", two, key);
    assertThat(second.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)).as("second publisher refused").isTrue();
    assertThat(second.exitValue()).isNotZero();
    assertThat(Ffmpeg.logTail("reject-second")).contains("live/" + key + " is already being published");
    two.awaitLog("directory: live/" + key + " refused, node " + one.nodeId() + " publishes it", EVENT);
    assertThat(first.isAlive()).as("the first publisher keeps publishing").isTrue();
    assertThat(one.log()).doesNotContain("unpublish");

    // Two publishers of one key, one per node, at the same moment: one origin, one refusal.
    Process raceOne = publish("reject-race-node1", one, "race");
    Process raceTwo = publish("reject-race-node2", two, "race");
    Await.until("one racing publisher to be refused", EVENT, () -> !raceOne.isAlive() || !raceTwo.isAlive());
    // The winner's node logs its publish once the directory gave it the key: from then on it stays up.
    Await.until("the winner to publish", EVENT, () -> Pattern.compile("publish \\S+ stream=live/race\\b")
        .matcher(one.log() + two.log()).find());
    assertThat(List.of(raceOne.isAlive(), raceTwo.isAlive())).as("exactly one racer publishes").containsOnlyOnce(true);
    String origins = one.log() + two.log();
    assertThat(Pattern.compile("directory: live/race origin is this node").matcher(origins).results().count())
        .isEqualTo(1);
    ChildProcesses.kill(raceOne);
    ChildProcesses.kill(raceTwo);

    String departed = one.nodeId();
    long killedAt = System.nanoTime();
    one.kill();
    // The racers' key may still be listed too, if node 1 died before releasing it.
    two.awaitLog("directory: removed \\[[^\\]]*live/" + key + "\\b[^\\]]*\\] of departed node " + Pattern.quote(departed),
        FAILURE_DETECTION);
    long detectedMillis = (System.nanoTime() - killedAt) / 1_000_000;
    System.out.println("killed origin's directory entry removed after " + detectedMillis + " ms");

    publish("reject-after-kill", two, key);
    two.awaitLog("directory: live/" + key + " origin is this node", EVENT);
    two.awaitLog("publish \\S+ stream=live/" + key, EVENT);
  }

  @Test
  void withTakeoverASecondPublisherOnAnotherNodeBecomesTheOriginAndTheFirstIsDisconnected() throws Exception {
    String key = "takeover";
    // A long first-segment wait, so that an HLS request's 404 below cannot come from its timer.
    NodeProcess[] cluster = startCluster("takeover", "--stream.publish-policy=takeover", "--hls.first-segment-wait=30s");
    NodeProcess one = cluster[0];
    NodeProcess two = cluster[1];

    Process first = publish("takeover-first", one, key);
    one.awaitLog("directory: live/" + key + " origin is this node", EVENT);

    Process second = publish("takeover-second", two, key);
    two.awaitLog("directory: live/" + key + " origin is this node \\S+, taken over from live node "
        + Pattern.quote(one.nodeId()), EVENT);
    one.awaitLog("unpublish \\S+ stream=live/" + key + " reason=taken over by a publisher on node "
        + Pattern.quote(two.nodeId()), EVENT);
    Await.until("the first publisher to be disconnected", EVENT, () -> !first.isAlive());
    assertThat(second.isAlive()).as("the new origin's publisher keeps publishing").isTrue();
    // The old origin must not release the entry that is now the new origin's.
    assertThat(one.log()).doesNotContain("live/" + key + " released");

    // A second key of node 2's, which node 1 lists but does not pull (node 1 does pull the first one:
    // it went on packaging its HLS when its publisher was taken over).
    String unpulled = "unpulled";
    publish("takeover-unpulled", two, unpulled);
    two.awaitLog("directory: live/" + unpulled + " origin is this node", EVENT);
    Await.until("node 1 to list live/" + unpulled, EVENT,
        () -> Http.get(one.httpUrl("/api/v1/streams")).body().contains("\"" + unpulled + "\""));

    // A hung origin refuses no connection: only the missing heartbeats tell, after cluster.max-no-heartbeat.
    String hung = two.nodeId();
    long stoppedAt = System.nanoTime();
    two.suspend();
    // Until then node 1 still lists the hung node as the origin. Viewers of the unpulled key on node 1
    // make it pull, and the pull gets no answer. The HTTP-FLV viewer and the HLS player get the 404 of
    // a stream that is not live, and do not wait with no answer at all; the RTMP viewer is told the
    // stream is unpublished, and stays, as RTMP viewers of an unpublished stream do.
    Vertx vertx = Vertx.vertx();
    try {
      RecordingPlayer rtmpViewer = RecordingPlayer.play(vertx, one.rtmpPort(), unpulled);
      CompletableFuture<HttpResponse<String>> playlist = Http.sendAsync(
          Http.request(one.httpUrl("/hls/" + unpulled + ".m3u8")).timeout(Duration.ofSeconds(20)),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> viewer = Http.get(one.httpUrl("/live/" + unpulled + ".flv"));
      assertThat(viewer.statusCode()).as("HTTP-FLV viewer on node 1 of a stream of the hung node").isEqualTo(404);
      assertThat(playlist.get(20, TimeUnit.SECONDS).statusCode())
          .as("HLS playlist on node 1 of a stream of the hung node").isEqualTo(404);
      Await.until("UnpublishNotify to the RTMP viewer", EVENT,
          () -> rtmpViewer.statuses.contains("NetStream.Play.UnpublishNotify"));
      assertThat(rtmpViewer.closedReason).as("the RTMP viewer's connection").isNull();
    } finally {
      vertx.close();
    }
    // The pull's 3 s timeout mostly comes first; the hung node's departure ends it the same way.
    one.awaitLog("pull (refused stream=live/" + unpulled + " from=" + Pattern.quote(hung) + "|stop stream=live/"
        + unpulled + " from=" + Pattern.quote(hung) + " reason=origin gone)", EVENT);
    one.awaitLog("directory: removed \\[[^\\]]*live/" + key + "\\b[^\\]]*\\] of departed node " + Pattern.quote(hung),
        FAILURE_DETECTION);
    System.out.println("hung origin's directory entry removed after " + (System.nanoTime() - stoppedAt) / 1_000_000
        + " ms");
  }

  /** Starts two nodes at once, so their JVM starts and Hazelcast joins overlap, and waits until they see each other. */
  private NodeProcess[] startCluster(String name, String... options) throws Exception {
    List<Integer> ports = NodeProcess.memberPorts(2);
    NodeProcess one = processes.own(NodeProcess.cluster(name + "-node1", ports.get(0), ports, options));
    NodeProcess two = processes.own(NodeProcess.cluster(name + "-node2", ports.get(1), ports, options));
    one.awaitCluster(2, JOIN);
    two.awaitCluster(2, JOIN);
    return new NodeProcess[] {one, two};
  }

  private Process publish(String name, NodeProcess node, String key) throws Exception {
    Path media = TestMedia.audioVideo(4, 1);
    return processes.own(Clients.publishLooping(name, media, node.rtmpUrl(key)));
  }
}
