package dev.streamedge.rtmp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.RecordingPlayer.Frame;
import dev.streamedge.testing.RecordingPlayer;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A player that joins mid-GOP starts from the GOP cache at once, not at the next keyframe. */
@Tag("e2e")
@Tag("timing")
class GopCacheJoinTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void playerJoiningMidGopGetsConfigAndKeyframeAtOnce() throws Exception {
    Vertx clients = Vertx.vertx();
    try (TestNode node = TestNode.start()) {
      processes.own(Clients.publish("gop-join-publisher", TestMedia.audioVideo(14, 4), node.rtmpUrl("gop")));
      RecordingPlayer observer = RecordingPlayer.play(clients, node.rtmpPort(), "gop");
      // Join 1.5 s after a keyframe: with a 4 s GOP the next one is 2.5 s away.
      Await.until("the second keyframe", Duration.ofSeconds(20), () -> observer.keyframes() >= 2);
      Frame lastKey = observer.video().stream().filter(Frame::keyframe).reduce((a, b) -> b).orElseThrow();
      Await.until("1.5 s past a keyframe", Duration.ofSeconds(5),
          () -> System.nanoTime() - lastKey.receivedNanos() > 1_500_000_000L);

      long joinedAt = System.nanoTime();
      RecordingPlayer joiner = RecordingPlayer.play(clients, node.rtmpPort(), "gop");
      Await.until("a keyframe at the joiner", Duration.ofSeconds(10), () -> joiner.keyframes() >= 1);

      List<Frame> video = joiner.video();
      assertThat(video.get(0).config()).as("first video message is the sequence header").isTrue();
      assertThat(video.get(1).keyframe()).as("then the cached keyframe").isTrue();
      assertThat(video.get(1).timestamp()).as("the keyframe the observer saw, from the cache")
          .isEqualTo(lastKey.timestamp());
      long firstFrameMillis = (video.get(1).receivedNanos() - joinedAt) / 1_000_000;
      assertThat(firstFrameMillis).as("time to the first keyframe, ms").isLessThan(500);
      assertThat(joiner.statuses).contains("NetStream.Play.Start");
    } finally {
      clients.close();
    }
  }
}
