package dev.streamedge.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.FreePorts;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.NginxRtmp;
import dev.streamedge.testing.RecordingPlayer;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A publisher of this node takes over a stream that an on-demand pull feeds (from nginx-rtmp), as it
 * takes a cluster edge's relayed stream: the viewer gets the pulled packets, then the local publisher's,
 * never the two interleaved; the pull gives way, and feeds the stream again once the local publisher left.
 */
@Tag("e2e")
class OnDemandPullTakeoverTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aLocalPublisherTakesOverAnOnDemandPullAndThePullFeedsTheStreamAgainWhenItLeaves() throws Exception {
    int port = FreePorts.next();
    processes.own(NginxRtmp.start("takeover", port));
    Path pulledMedia = TestMedia.audioVideo(40, 1);
    Path localMedia = TestMedia.enhanced("h264", "aac", 6);
    Set<String> pulled = new HashSet<>(FrameHashes.ofFile(pulledMedia).video());
    Set<String> local = new HashSet<>(FrameHashes.ofFile(localMedia).video());
    assertThat(pulled).as("two media told apart by their packets").doesNotContainAnyElementsOf(local);
    processes.own(Clients.publish("takeover-origin", pulledMedia, NginxRtmp.url(port, "cam")));
    try (TestNode node = TestNode.start("--relay.pull-on-demand=live=" + NginxRtmp.url(port, "{key}"),
        "--relay.reconnect-min=200ms", "--relay.reconnect-max=800ms")) {
      RecordingPlayer viewer = RecordingPlayer.playUrl(vertx, node.rtmpUrl("cam"));
      Await.until("the on-demand pull publishing", Duration.ofSeconds(10), () -> "publishing".equals(pull(node)
          .getString("state")));
      Await.until("pulled video", Duration.ofSeconds(10), () -> viewer.keyframes() >= 2);

      Process publisher = processes.own(Clients.publish("takeover-local", localMedia, node.rtmpUrl("cam")));
      node.awaitPublisher("cam");
      Await.until("the pull giving way", Duration.ofSeconds(10),
          () -> !"publishing".equals(pull(node).getString("state")));
      JsonObject givenWay = pull(node);
      System.out.println("the pull under the local publisher: " + givenWay.encode());
      Ffmpeg.awaitSuccess("takeover-local", publisher, 30);
      int framesAtLocalEnd = viewer.video().size();
      // The local publisher left; the viewer stays, and the pull feeds the stream again.
      Await.until("the pull publishing again", Duration.ofSeconds(10), () -> "publishing".equals(pull(node)
          .getString("state")));
      Await.until("pulled video again", Duration.ofSeconds(10), () -> viewer.video().size() > framesAtLocalEnd + 50);

      Path received = Path.of("target", "test-out", "takeover-viewer.flv");
      viewer.writeFlv(received);
      List<String> runs = runs(FrameHashes.ofFile(received).video(), pulled, local);
      System.out.printf("the viewer's video, as runs of one source: %s; statuses %s%n", runs, viewer.statuses);
      assertThat(viewer.closedReason).as("the viewer's connection").isNull();
      assertThat(runs).as("pulled, then local, then pulled again: never interleaved").hasSize(3);
      assertThat(runs.get(0)).startsWith("pulled");
      assertThat(runs.get(1)).startsWith("local");
      assertThat(runs.get(2)).startsWith("pulled");
      assertThat(givenWay.getString("lastError")).isNotBlank();
      assertThat(givenWay.getBoolean("onDemand")).isTrue();
    }
  }

  /** The received video as runs of one source: "pulled x N", "local x N"; fails on a packet of neither. */
  private static List<String> runs(List<String> received, Set<String> pulled, Set<String> local) {
    List<String> runs = new ArrayList<>();
    String current = null;
    int count = 0;
    for (String hash : received) {
      String source = pulled.contains(hash) ? "pulled" : local.contains(hash) ? "local" : null;
      assertThat(source).as("packet " + hash + " of neither publisher").isNotNull();
      if (!source.equals(current)) {
        if (current != null) {
          runs.add(current + " x " + count);
        }
        current = source;
        count = 0;
      }
      count++;
    }
    runs.add(current + " x " + count);
    return runs;
  }

  /** The node's one pull; an empty object until the viewer's play has started it (the play is asynchronous). */
  private static JsonObject pull(TestNode node) throws Exception {
    JsonArray pulls = new JsonObject(Http.get(node.httpUrl("/api/v1/relays")).body()).getJsonArray("pull");
    return pulls.isEmpty() ? new JsonObject() : pulls.getJsonObject(0);
  }
}
