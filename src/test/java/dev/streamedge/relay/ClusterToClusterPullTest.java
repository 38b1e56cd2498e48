package dev.streamedge.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.NodeProcess;
import dev.streamedge.testing.RecordingPlayer;
import dev.streamedge.testing.TcpForwarder;
import dev.streamedge.testing.TestMedia;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Beyond one cluster: two clusters of two nodes each (separate Hazelcast members, so two directories),
 * cluster B pulling cluster A's stream with static pulls through A's load balancers (one for RTMP, one
 * for HTTP-FLV), and a viewer on B's other node. The publisher then moves from one origin of A to the
 * other; B's pulls follow, and B's viewers go on.
 */
@Tag("cluster")
class ClusterToClusterPullTest {

  private static final Duration JOIN = Duration.ofSeconds(60);
  private static final Duration EVENT = Duration.ofSeconds(15);

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aClusterPullsAnotherClustersStreamThroughItsBalancerAndFollowsItWhenItsOriginMoves() throws Exception {
    List<Integer> portsA = NodeProcess.memberPorts(2);
    List<Integer> portsB = NodeProcess.memberPorts(2);
    NodeProcess a1 = processes.own(NodeProcess.cluster("c2c-a1", portsA.get(0), portsA));
    NodeProcess a2 = processes.own(NodeProcess.cluster("c2c-a2", portsA.get(1), portsA));
    // A's load balancers, for players from outside; they send to a1.
    try (TcpForwarder rtmpBalancer = TcpForwarder.start("127.0.0.1", a1.rtmpPort());
        TcpForwarder httpBalancer = TcpForwarder.start("127.0.0.1", httpPort(a1))) {
      NodeProcess b1 = processes.own(NodeProcess.cluster("c2c-b1", portsB.get(0), portsB,
          "--relay.pull=live/cam=rtmp://127.0.0.1:" + rtmpBalancer.port() + "/live/cam,"
              + "live/camflv=http://127.0.0.1:" + httpBalancer.port() + "/live/cam.flv",
          "--relay.reconnect-min=100ms", "--relay.reconnect-max=500ms"));
      NodeProcess b2 = processes.own(NodeProcess.cluster("c2c-b2", portsB.get(1), portsB));
      for (NodeProcess node : List.of(a1, a2, b1, b2)) {
        node.awaitCluster(2, JOIN);
      }

      // The publisher on a1, first.
      Path media = TestMedia.audioVideo(4, 1);
      Process first = processes.own(Clients.publishLooping("c2c-publisher-1", media, a1.rtmpUrl("cam")));
      a1.awaitLog("publish \\S+ stream=live/cam", EVENT);
      // Viewers in cluster B, on the node that does not pull: B's own cluster carries it from b1.
      RecordingPlayer overRtmp = RecordingPlayer.play(vertx, b2.host(), b2.rtmpPort(), "cam");
      RecordingPlayer overFlv = RecordingPlayer.play(vertx, b2.host(), b2.rtmpPort(), "camflv");
      Await.until("video in cluster B", EVENT, () -> overRtmp.keyframes() > 2 && overFlv.keyframes() > 2);
      assertThat(a1.log()).doesNotContain("3 members").doesNotContain("4 members");
      assertThat(b1.log()).doesNotContain("3 members").doesNotContain("4 members");

      // The origin moves: the publisher leaves a1 and publishes to a2. a1, where A's balancers send B's
      // pulls, now gets the stream from a2 over A's cluster.
      long movedAt = System.nanoTime();
      first.destroy();
      assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
      processes.own(Clients.publishLooping("c2c-publisher-2", media, a2.rtmpUrl("cam")));
      a2.awaitLog("publish \\S+ stream=live/cam", EVENT);
      long republishedAt = System.nanoTime();
      for (RecordingPlayer viewer : List.of(overRtmp, overFlv)) {
        Await.until("video from the new origin in cluster B", EVENT, () -> viewer.video().stream()
            .anyMatch(frame -> frame.keyframe() && frame.receivedNanos() > republishedAt));
      }
      a1.awaitLog("pull start stream=live/cam from=" + a2.nodeId(), EVENT);

      for (RecordingPlayer viewer : List.of(overRtmp, overFlv)) {
        String name = viewer == overRtmp ? "RTMP pull" : "HTTP-FLV pull";
        long lastBefore = viewer.video().stream().filter(frame -> frame.receivedNanos() < movedAt)
            .mapToLong(RecordingPlayer.Frame::receivedNanos).max().orElseThrow();
        long firstAfter = viewer.video().stream().filter(frame -> frame.receivedNanos() > republishedAt)
            .mapToLong(RecordingPlayer.Frame::receivedNanos).min().orElseThrow();
        System.out.printf("cluster to cluster, %s: viewer on b2's video gap %d ms across the move, %d ms after the "
                + "new publisher's start; statuses %s%n", name, (firstAfter - lastBefore) / 1_000_000,
            (firstAfter - republishedAt) / 1_000_000, viewer.statuses);
        assertThat(viewer.closedReason).as(name + ": the viewer's connection").isNull();
        assertThat((firstAfter - republishedAt) / 1_000_000).as(name + ": ms to video after the move").isLessThan(5000);
        int framesNow = viewer.video().size();
        Await.until(name + ": the viewer in cluster B to go on playing", EVENT,
            () -> viewer.video().size() > framesNow + 50);
      }
      JsonArray pulls = new JsonObject(Http.get(b1.httpUrl("/api/v1/relays")).body()).getJsonArray("pull");
      System.out.printf("cluster to cluster: b1's pulls after the move %s%n", pulls.encode());
      for (int i = 0; i < 2; i++) {
        assertThat(pulls.getJsonObject(i).getString("state")).isEqualTo("publishing");
      }
    }
  }

  private static int httpPort(NodeProcess node) {
    String url = node.httpUrl("");
    return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
  }
}
