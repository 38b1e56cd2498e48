package dev.streamedge.rtmp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.RawRtmp;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A player that stops reading costs only itself: it is cut at the configured time, others play on. */
@Tag("e2e")
@Tag("timing")
class SlowPlayerTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void stalledPlayerIsCutAtMaxBehindWhileAnotherPlayerGetsEveryPacket() throws Exception {
    Path media = TestMedia.audioVideo(12, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    // HLS on demand, so that the stream's subscribers are exactly the two players.
    try (TestNode node = TestNode.start("--hls.on-demand-apps=*", "--player.max-behind=3s", "--player.queue-max-delay=500ms",
        "--player.socket-write-buffer=64KiB", "--player.socket-send-buffer=64KiB")) {
      Path out = Clients.output("slow-good-player.framemd5");
      Process good = processes.own(Clients.playToHashes("slow-good-player", node.rtmpUrl("slow"), out));
      RawRtmp stalled = RawRtmp.stalledPlayer(node.rtmpPort(), "slow");
      node.awaitSubscribers("slow", 2);

      long publishedAt = System.nanoTime();
      Process publisher = processes.own(Clients.publish("slow-publisher", media, node.rtmpUrl("slow")));
      node.awaitPublisher("slow");
      node.awaitSubscribers("slow", 1);
      long cutAfterMillis = (System.nanoTime() - publishedAt) / 1_000_000;
      assertThat(cutAfterMillis).as("cut after, ms").isBetween(3_000L, 9_000L);

      Ffmpeg.awaitSuccess("slow-publisher", publisher, 60);
      Ffmpeg.awaitSuccess("slow-good-player", good, 20);
      FrameHashes received = FrameHashes.parse(out);
      assertThat(received.video()).isEqualTo(published.video());
      assertThat(received.audio()).isEqualTo(published.audio());
      stalled.close();
    }
  }
}
