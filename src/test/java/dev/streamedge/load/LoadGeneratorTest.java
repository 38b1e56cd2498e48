package dev.streamedge.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The load generator against a real node: RTMP and HTTP-FLV players, every frame accounted for. */
class LoadGeneratorTest {

  @Test
  void measuresEveryPlayerAndFrame() throws Exception {
    try (TestNode node = TestNode.start()) {
      StreamTarget target = new StreamTarget("127.0.0.1", node.rtmpPort(), "live", "load");
      URI flv = URI.create(node.httpUrl("/live/load.flv"));
      LoadRun.Options options = new LoadRun.Options(target, 8, 4, flv, TestMedia.audioVideo(3, 1), 50, Duration.ZERO,
          Duration.ofMillis(500), Duration.ofSeconds(4), ProcessHandle.current().pid(), 2);

      LoadReport report = new LoadRun(options).run();

      assertThat(report.players().ok()).as(report.text()).isEqualTo(12);
      assertThat(report.players().failed() + report.players().disconnected()).as(report.text()).isZero();
      // 25 fps for 4 s. The 3 s file loops inside the window: marks and timestamps must go on across it.
      assertThat(report.frames().published()).as(report.text()).isBetween(90L, 110L);
      assertThat(report.frames().received()).as(report.text())
          .isBetween(12 * (report.frames().published() - 3), 12 * (report.frames().published() + 3));
      assertThat(report.frames().missing()).as(report.text()).isZero();
      assertThat(report.frames().reordered()).as(report.text()).isZero();
      assertThat(report.frames().publisherClosed()).as(report.text()).isNull();
      assertThat(report.firstFrameMs().count()).isEqualTo(12);
      assertThat(report.latencyMs().count()).isEqualTo(report.frames().received());
      assertThat(report.latencyMs().p50()).as(report.text()).isGreaterThan(0).isLessThan(50);
      assertThat(report.traffic().mbitPerSecondPerPlayer()).as(report.text()).isBetween(0.5, 1.5);
      assertThat(report.loadGenerator().cpuSeconds()).isPositive();
      assertThat(report.server().cpuSecondsPerGb()).as(report.text()).isPositive();
      assertThat(report.json()).contains("\"latencyMs\"", "\"p99\"");
    }
  }
}
