package dev.streamedge.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code player.max-added-latency} with real RTMP players (the load generator, whose latencies come from
 * the frame marks the publisher puts in each frame, and whose writes per player are the TCP data
 * segments the players' sockets received, from ss): on a quiet node each packet goes out at once, as
 * with the policy off; on a busy one the players get fewer writes a second, and no frame later than
 * the budget.
 */
@Tag("e2e")
@Tag("timing")
class AddedLatencyPolicyTest {

  private static final int BUDGET_MILLIS = 40;
  private static final String BUDGET = "--player.max-added-latency=" + BUDGET_MILLIS + "ms";

  @Test
  void aQuietNodeWritesEachPacketAtOnce() throws Exception {
    // 4 players of ~68 packets/s: about 270 writes a second, far under the default quiet rate.
    LoadReport report = run(4, BUDGET);
    String text = report.text();

    assertThat(report.players().ok()).as(text).isEqualTo(4);
    assertThat(report.frames().missing()).as(text).isZero();
    // About 68 packets a second, 25 video frames and 43 AAC frames: unmerged, near one segment each.
    assertThat(report.server().segmentsPerRtmpPlayerPerSecond()).as(text).isGreaterThan(40.0);
    assertThat(report.byProtocol().get("rtmp").latencyMs().p50()).as(text).isLessThan(10.0);
  }

  @Test
  void theDefaultsWriteEachPacketAtOnceOnAQuietNode() throws Exception {
    // 40 players, about 2700 writes a second: quiet under the default quiet-write-rate, so the default
    // budget holds nothing.
    LoadReport report = run(40);
    String text = report.text();

    assertThat(report.players().ok()).as(text).isEqualTo(40);
    assertThat(report.frames().missing()).as(text).isZero();
    assertThat(report.server().segmentsPerRtmpPlayerPerSecond()).as(text).isGreaterThan(40.0);
  }

  @Test
  void theDefaultBudgetHoldsPacketsOnABusyNode() throws Exception {
    // The default 20 ms budget, with the quiet rate lowered so that 120 players make the node busy.
    LoadReport report = run(120, "--player.quiet-write-rate=1000");
    String text = report.text();

    assertThat(report.players().ok()).as(text).isEqualTo(120);
    assertThat(report.frames().missing()).as(text).isZero();
    // A write per 20 ms at most is 50 a second; about 68 unmerged.
    assertThat(report.server().segmentsPerRtmpPlayerPerSecond()).as(text).isLessThan(52.0);
    assertThat(report.byProtocol().get("rtmp").latencyMs().p99()).as(text).isLessThan(20 + 30.0);
  }

  @Test
  void aBusyNodeMergesWritesWithinTheBudget() throws Exception {
    // 120 players: ~8000 writes a second unmerged over the node's event loops, against a quiet rate of
    // 1000, which would hold packets for 60+ ms per loop; the 40 ms budget caps it.
    LoadReport off = run(120, "--player.max-added-latency=0ms", "--player.quiet-write-rate=1000");
    LoadReport report = run(120, BUDGET, "--player.quiet-write-rate=1000");
    String text = report.text() + "\npolicy off:\n" + off.text();

    assertThat(report.players().ok()).as(text).isEqualTo(120);
    assertThat(report.frames().missing()).as(text).isZero();
    assertThat(report.frames().reordered()).as(text).isZero();
    // A write per 40 ms at most is 25 a second; about 68 unmerged.
    assertThat(report.server().segmentsPerRtmpPlayerPerSecond()).as(text).isLessThan(30.0)
        .isLessThan(off.server().segmentsPerRtmpPlayerPerSecond() / 2);
    LoadReport.Distribution latency = report.byProtocol().get("rtmp").latencyMs();
    // Held up to the budget: the median frame waits part of it. The slack over the budget is the
    // machine's own delivery time (publisher to server to 120 players on 2 shared cores).
    assertThat(latency.p50()).as(text).isGreaterThan(2.0);
    assertThat(latency.p99()).as(text).isLessThan(BUDGET_MILLIS + 30.0);
  }

  private static LoadReport run(int players, String... options) throws Exception {
    try (TestNode node = TestNode.start(options)) {
      StreamTarget target = new StreamTarget("127.0.0.1", node.rtmpPort(), "live", "adaptive");
      LoadRun.Options run = new LoadRun.Options(target, target, players, 0, null, 0, null,
          TestMedia.audioVideo(3, 1), 100, Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(4),
          ProcessHandle.current().pid(), 2, 0);
      return new LoadRun(run).run();
    }
  }
}
