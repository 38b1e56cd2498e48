package dev.streamedge.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.NetworkNamespaces;
import dev.streamedge.testing.NodeProcess;
import dev.streamedge.testing.RecordingPlayer;
import dev.streamedge.testing.TcpForwarder;
import dev.streamedge.testing.TestMedia;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
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
 * Three simulated hosts, each with its own address (network namespaces): the origin is killed with
 * {@code kill -9}, the publisher reconnects to the same address, where a TCP load balancer now sends
 * it to another node, and the viewers of the edge stay on their connection and get the stream again.
 */
@Tag("faults")
class FaultOriginKilledBehindBalancerTest {

  private static final Duration JOIN = Duration.ofSeconds(60);
  private static final Duration EVENT = Duration.ofSeconds(10);
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
  void edgeViewersStayConnectedWhenTheOriginIsKilledAndThePublisherReconnectsThroughTheBalancer() throws Exception {
    String key = "balanced";
    NetworkNamespaces.Host a = network.host("faults-kill-a");
    NetworkNamespaces.Host b = network.host("faults-kill-b");
    NetworkNamespaces.Host c = network.host("faults-kill-c");
    List<String> members = List.of(a.address() + ":" + MEMBER_PORT, b.address() + ":" + MEMBER_PORT,
        c.address() + ":" + MEMBER_PORT);
    NodeProcess origin = processes.own(NodeProcess.clusterOn(a, MEMBER_PORT, members));
    NodeProcess standby = processes.own(NodeProcess.clusterOn(b, MEMBER_PORT, members));
    NodeProcess edge = processes.own(NodeProcess.clusterOn(c, MEMBER_PORT, members, "--cluster.role=edge"));
    for (NodeProcess node : List.of(origin, standby, edge)) {
      node.awaitCluster(3, JOIN);
    }

    // The publisher knows one address, the balancer's; the balancer sends it to the origin.
    try (TcpForwarder balancer = TcpForwarder.start(origin.host(), origin.rtmpPort())) {
      String publishUrl = "rtmp://127.0.0.1:" + balancer.port() + "/live/" + key;
      Path media = TestMedia.audioVideo(4, 1);
      Process first = processes.own(Clients.publishLooping("faults-kill-publisher-1", media, publishUrl));
      origin.awaitLog("publish \\S+ stream=live/" + key, EVENT);
      RecordingPlayer viewer = RecordingPlayer.play(vertx, edge.host(), edge.rtmpPort(), key);
      Await.until("video on the edge", EVENT, () -> viewer.keyframes() > 1);

      long killedAt = System.nanoTime();
      origin.kill();
      // The publisher sees its connection end and gives up, as ffmpeg does; then it comes back.
      assertThat(first.waitFor(10, TimeUnit.SECONDS)).as("the first publisher ends with its origin").isTrue();
      long publisherEndedAt = System.nanoTime();
      // The balancer's health check: the dead node's port refuses, so new connections go to the standby.
      Await.until("the killed origin's port to refuse", EVENT, () -> !accepts(origin.host(), origin.rtmpPort()));
      balancer.pointTo(standby.host(), standby.rtmpPort());
      long republishedAt = System.nanoTime();
      processes.own(Clients.publishLooping("faults-kill-publisher-2", media, publishUrl));
      standby.awaitLog("publish \\S+ stream=live/" + key, EVENT);
      Await.until("video from the new origin on the edge", EVENT, () -> viewer.video().stream()
          .anyMatch(frame -> frame.keyframe() && frame.receivedNanos() > republishedAt));

      long lastBefore = viewer.video().stream().filter(frame -> frame.receivedNanos() < killedAt)
          .mapToLong(RecordingPlayer.Frame::receivedNanos).max().orElseThrow();
      long firstAfter = viewer.video().stream().filter(frame -> frame.receivedNanos() > republishedAt)
          .mapToLong(RecordingPlayer.Frame::receivedNanos).min().orElseThrow();
      long gapMillis = (firstAfter - lastBefore) / 1_000_000;
      long resumeMillis = (firstAfter - republishedAt) / 1_000_000;
      System.out.printf("kill -9 of the origin: publisher ended %d ms after the kill, republished %d ms after the"
              + " kill; edge viewer's video gap %d ms, of which %d ms after the new publisher started%n",
          (publisherEndedAt - killedAt) / 1_000_000, (republishedAt - killedAt) / 1_000_000, gapMillis, resumeMillis);

      assertThat(viewer.closedReason).as("the edge viewer's connection").isNull();
      assertThat(viewer.statuses).containsSubsequence("NetStream.Play.UnpublishNotify",
          "NetStream.Play.PublishNotify");
      assertThat(resumeMillis).as("ms from the new publisher's start to video on the edge").isLessThan(5000);
      assertThat(edge.log()).containsPattern("pull start stream=live/" + key + " from="
          + Pattern.quote(standby.nodeId()));
      long previous = -1;
      for (RecordingPlayer.Frame frame : viewer.video()) {
        assertThat(frame.timestamp()).as("video timestamps never go back across the move").isGreaterThanOrEqualTo(previous);
        previous = frame.timestamp();
      }
      int framesNow = viewer.video().size();
      Await.until("the edge viewer to go on playing", EVENT, () -> viewer.video().size() > framesNow + 50);
    }
  }

  private static boolean accepts(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
