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
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The link between an origin and an edge delays every packet 50 ms and loses 1 % of them, each way
 * (a userspace link emulator: this kernel has no netem, docs/faults.md): the edge's viewer keeps
 * playing. The hop's latency is measured per video frame, as the time between a viewer on the origin
 * and a viewer on the edge receiving it, and the frames the edge's viewer never got are counted.
 */
@Tag("faults")
class FaultDelayLossTest {

  private static final Duration JOIN = Duration.ofSeconds(60);
  private static final Duration EVENT = Duration.ofSeconds(10);
  private static final int MEMBER_PORT = 5701;
  private static final int DELAY_MILLIS = 50;
  private static final int LOSS_PERCENT = 1;
  /** How long both viewers play on the bad link before the figures are taken. */
  private static final Duration PLAY = Duration.ofSeconds(12);

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
  void anEdgeBehindA50MsLinkLosing1PercentKeepsItsViewerPlaying() throws Exception {
    String key = "lossy";
    NetworkNamespaces.Host c = network.host("faults-lossy-edge");
    NetworkNamespaces.Host a = network.hostBehindEmulator("faults-lossy-origin", c, DELAY_MILLIS, LOSS_PERCENT);
    List<String> members = List.of(a.address() + ":" + MEMBER_PORT, c.address() + ":" + MEMBER_PORT);
    NodeProcess origin = processes.own(NodeProcess.clusterOn(a, MEMBER_PORT, members));
    NodeProcess edge = processes.own(NodeProcess.clusterOn(c, MEMBER_PORT, members, "--cluster.role=edge"));
    origin.awaitCluster(2, JOIN);
    edge.awaitCluster(2, JOIN);
    processes.own(Clients.publishLooping("faults-lossy-publisher", TestMedia.audioVideo(4, 1), origin.rtmpUrl(key)));
    origin.awaitLog("publish \\S+ stream=live/" + key, EVENT);
    RecordingPlayer onOrigin = RecordingPlayer.play(vertx, origin.host(), origin.rtmpPort(), key);
    RecordingPlayer onEdge = RecordingPlayer.play(vertx, edge.host(), edge.rtmpPort(), key);
    Await.until("video on the origin and the edge", EVENT, () -> onOrigin.keyframes() > 0 && onEdge.keyframes() > 0);
    // The figures are the scenario's: both viewers play for a fixed time on the bad link.
    Thread.sleep(PLAY.toMillis());

    List<RecordingPlayer.Frame> originVideo = onOrigin.video();
    List<RecordingPlayer.Frame> edgeVideo = onEdge.video();
    Map<Long, Long> originReceived = new HashMap<>();
    originVideo.forEach(frame -> originReceived.putIfAbsent(frame.timestamp(), frame.receivedNanos()));
    // The edge's first second is its start (the pull's requests cross the bad link, then the GOP comes
    // at once): it is reported apart, the hop's latency is measured from the edge's third second on.
    long edgeStart = edgeVideo.stream().filter(f -> !f.config()).mapToLong(RecordingPlayer.Frame::timestamp).min()
        .orElseThrow();
    long startMillis = (edgeVideo.stream().filter(f -> !f.config()).findFirst().orElseThrow().receivedNanos()
        - originReceived.getOrDefault(edgeStart, 0L)) / 1_000_000;
    List<Long> hopMillis = new ArrayList<>();
    for (RecordingPlayer.Frame frame : edgeVideo) {
      Long atOrigin = originReceived.get(frame.timestamp());
      if (atOrigin != null && !frame.config() && frame.timestamp() >= edgeStart + 2000) {
        hopMillis.add((frame.receivedNanos() - atOrigin) / 1_000_000);
      }
    }
    // The frames the origin's viewer got, from the edge's first to its last (minus a second in flight),
    // that the edge's viewer did not.
    long first = edgeVideo.stream().filter(f -> !f.config()).mapToLong(RecordingPlayer.Frame::timestamp).min()
        .orElseThrow();
    long last = edgeVideo.stream().mapToLong(RecordingPlayer.Frame::timestamp).max().orElseThrow() - 1000;
    Set<Long> onEdgeTimestamps = new HashSet<>();
    edgeVideo.forEach(frame -> onEdgeTimestamps.add(frame.timestamp()));
    long expected = originVideo.stream().filter(f -> !f.config() && f.timestamp() >= first && f.timestamp() <= last)
        .count();
    long lost = originVideo.stream().filter(f -> !f.config() && f.timestamp() >= first && f.timestamp() <= last)
        .filter(f -> !onEdgeTimestamps.contains(f.timestamp())).count();
    Collections.sort(hopMillis);
    assertThat(hopMillis).as("video frames seen by both viewers").hasSizeGreaterThan(200);
    long p50 = hopMillis.get(hopMillis.size() / 2);
    long p99 = hopMillis.get(hopMillis.size() * 99 / 100);
    System.out.printf("origin->edge over %d ms delay, %d %% loss each way: edge's first frame %d ms after the origin's"
            + " viewer got it; then hop latency p50 %d ms, p99 %d ms, max %d ms over %d frames; %d of %d frames lost"
            + " on the edge%n", DELAY_MILLIS, LOSS_PERCENT, startMillis, p50, p99,
        hopMillis.get(hopMillis.size() - 1), hopMillis.size(), lost, expected);

    assertThat(onEdge.closedReason).as("the edge viewer's connection").isNull();
    assertThat(p50).as("median hop latency, ms: the link's delay is in the path").isGreaterThanOrEqualTo(DELAY_MILLIS);
    assertThat(p99).as("99th percentile hop latency, ms").isLessThan(1000);
    assertThat(lost).as("frames the edge viewer missed of " + expected).isLessThanOrEqualTo(expected / 100);
  }
}
