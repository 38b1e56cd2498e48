package dev.streamedge.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The load generator against a real node: RTMP, HTTP-FLV and HLS players, every frame accounted for;
 * and a publisher over RTMPE with players over RTMPTE (RTMPE inside the RTMPT tunnel).
 */
@org.junit.jupiter.api.Tag("e2e")
@org.junit.jupiter.api.Tag("timing")
class LoadGeneratorTest {

  @Test
  void measuresEveryPlayerAndFrame() throws Exception {
    try (TestNode node = TestNode.start("--hls.target-duration=1s")) {
      StreamTarget target = new StreamTarget("127.0.0.1", node.rtmpPort(), "live", "load");
      LoadRun.Options options = new LoadRun.Options(target, target, 8, 4, URI.create(node.httpUrl("/live/load.flv")),
          2, URI.create(node.httpUrl("/hls/live/load/ts.m3u8")), TestMedia.audioVideo(3, 1), 50, Duration.ZERO,
          Duration.ofMillis(500), Duration.ofSeconds(4), ProcessHandle.current().pid(), 2, 5);

      LoadReport report = new LoadRun(options).run();
      String text = report.text();

      assertThat(report.players().ok()).as(text).isEqualTo(14);
      assertThat(report.players().failed() + report.players().disconnected()).as(text).isZero();
      // 25 fps for 4 s. The 3 s file loops inside the window: marks and timestamps must go on across it.
      long published = report.frames().published();
      assertThat(published).as(text).isBetween(90L, 110L);
      LoadReport.ProtocolReport rtmp = report.byProtocol().get("rtmp");
      LoadReport.ProtocolReport flv = report.byProtocol().get("http-flv");
      LoadReport.ProtocolReport hls = report.byProtocol().get("hls");
      assertThat(rtmp.framesReceived()).as(text).isBetween(8 * (published - 3), 8 * (published + 3));
      assertThat(flv.framesReceived()).as(text).isBetween(4 * (published - 3), 4 * (published + 3));
      assertThat(report.frames().missing()).as(text).isZero();
      assertThat(report.frames().reordered()).as(text).isZero();
      assertThat(report.frames().publisherClosed()).as(text).isNull();
      assertThat(report.firstFrameMs().count()).isEqualTo(14);
      assertThat(report.latencyMs().count()).isEqualTo(report.frames().received());
      // One frame in 25 is a keyframe (1 s GOP at 25 fps); each player may see one more or fewer.
      assertThat(report.keyframeLatencyMs().count()).as(text)
          .isBetween(report.frames().received() / 25 - 14, report.frames().received() / 25 + 14);
      assertThat(report.keyframeLatencyMs().max()).as(text).isLessThanOrEqualTo(report.latencyMs().max());
      assertThat(rtmp.latencyMs().p50()).as(text).isGreaterThan(0).isLessThan(50);
      assertThat(flv.latencyMs().p50()).as(text).isGreaterThan(0).isLessThan(50);
      // HLS delivers whole 1 s segments: a frame waits for its segment's end, and the playlist poll.
      assertThat(hls.latencyMs().p50()).as(text).isBetween(200.0, 4000.0);
      assertThat(rtmp.traffic().mbitPerSecondPerPlayer()).as(text).isBetween(0.5, 1.5);
      assertThat(report.loadGenerator().cpuSeconds()).isPositive();
      assertThat(report.server().cpuSecondsPerGb()).as(text).isPositive();
      assertThat(report.server().systemSeconds()).as(text).isPositive()
          .isLessThanOrEqualTo(report.server().cpuSeconds());
      // About 68 packets a second (25 video frames, 43 AAC frames): at most one segment each, and
      // fewer only when some leave together.
      assertThat(report.server().segmentsPerRtmpPlayerPerSecond()).as(text).isBetween(20.0, 80.0);
      assertThat(report.server().bytesPerRtmpSegment()).as(text).isGreaterThan(500.0);
      // Joiners come after the window and go soon after their first frame.
      LoadReport.Joins joins = report.joins();
      assertThat(joins.opened()).as(text).isEqualTo(20);
      assertThat(joins.started()).as(text).isEqualTo(joins.opened());
      assertThat(joins.firstFrameMs().count()).as(text).isEqualTo(joins.started());
      assertThat(joins.firstFrameMs().p50()).as(text).isPositive().isLessThan(1000);
      assertThat(report.json())
          .contains("\"latencyMs\"", "\"keyframeLatencyMs\"", "\"p99\"", "\"byProtocol\"", "\"joins\"");
    }
  }

  @Test
  void llHlsPlayersFetchEveryPartAfterBlockingReloads() throws Exception {
    try (TestNode node = TestNode.start()) {
      StreamTarget target = new StreamTarget("127.0.0.1", node.rtmpPort(), "live", "loadll");
      // The seed URL serves LL-HLS (hls.variant's default).
      LoadRun.Options options = new LoadRun.Options(target, target, 2, 0, null, 4,
          URI.create(node.httpUrl("/hls/live/loadll.m3u8")), TestMedia.audioVideo(3, 1), 50, Duration.ZERO,
          Duration.ofSeconds(3), Duration.ofSeconds(5), ProcessHandle.current().pid(), 2, 5);

      LoadReport report = new LoadRun(options).run();
      String text = report.text();

      assertThat(report.players().ok()).as(text).isEqualTo(6);
      assertThat(report.frames().missing()).as(text).isZero();
      assertThat(report.frames().reordered()).as(text).isZero();
      long published = report.frames().published();
      LoadReport.ProtocolReport hls = report.byProtocol().get("hls");
      // Each player starts at the newest keyframe part, up to a GOP (25 frames) before the window.
      assertThat(hls.framesReceived()).as(text).isBetween(4 * (published - 10), 4 * (published + 25));
      // A frame waits for the end of its 200 ms part and the blocking reload, not for a segment.
      assertThat(hls.latencyMs().p50()).as(text).isGreaterThan(0).isLessThan(600);
      System.out.println("LL-HLS load players: " + text);
    }
  }

  @Test
  void rtmpePublisherAndRtmptePlayersGetEveryFrame() throws Exception {
    try (TestNode node = TestNode.start()) {
      StreamTarget target = StreamTarget.parse(node.rtmpeUrl("load-rtmpe"));
      StreamTarget tunnel = StreamTarget.parse(node.rtmpteUrl("load-rtmpe"));
      assertThat(target.encrypted()).isTrue();
      assertThat(tunnel.variant().tunnel()).isTrue();
      LoadRun.Options options = new LoadRun.Options(target, tunnel, 6, 0, null, 0, null, TestMedia.audioVideo(3, 1),
          50, Duration.ZERO, Duration.ofMillis(500), Duration.ofSeconds(3), ProcessHandle.current().pid(), 2, 0);

      LoadReport report = new LoadRun(options).run();
      String text = report.text();

      assertThat(report.players().ok()).as(text).isEqualTo(6);
      assertThat(report.players().failed() + report.players().disconnected()).as(text).isZero();
      long published = report.frames().published();
      assertThat(published).as(text).isBetween(65L, 85L);
      assertThat(report.byProtocol().get("rtmp").framesReceived()).as(text)
          .isBetween(6 * (published - 3), 6 * (published + 3));
      assertThat(report.frames().missing()).as(text).isZero();
      assertThat(report.frames().reordered()).as(text).isZero();
      assertThat(report.frames().publisherClosed()).as(text).isNull();
      // The node saw the publisher as RTMPE and the players as RTMPTE.
      assertThat(node.scrape().value("streamedge_received_bytes_total", "protocol", "rtmpe")).isPositive();
      assertThat(node.scrape().value("streamedge_sent_bytes_total", "protocol", "rtmpte")).as(text).isPositive();
      assertThat(node.scrape().value("streamedge_received_bytes_total", "protocol", "rtmp")).isZero();
      assertThat(node.scrape().value("streamedge_sent_bytes_total", "protocol", "rtmp")).as(text).isZero();
    }
  }
}
