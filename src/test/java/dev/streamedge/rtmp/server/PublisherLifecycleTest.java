package dev.streamedge.rtmp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.RecordingPlayer.Frame;
import dev.streamedge.testing.RecordingPlayer;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Publisher leaves and comes back; a second publisher under the takeover and reject policies. Players
 * stay connected throughout.
 */
@Tag("e2e")
class PublisherLifecycleTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  private static Vertx clients;

  @BeforeAll
  static void startClients() {
    clients = Vertx.vertx();
  }

  @AfterAll
  static void stopClients() {
    clients.close();
  }

  @Test
  void playerStaysConnectedAcrossPublisherRestartAndGetsTheSecondSession() throws Exception {
    Path media = TestMedia.audioVideo(3, 1);
    try (TestNode node = TestNode.start()) {
      RecordingPlayer player = RecordingPlayer.play(clients, node.rtmpPort(), "restart");
      node.awaitSubscribers("restart", 1);

      Ffmpeg.awaitSuccess("restart-first", Clients.publish("restart-first", media, node.rtmpUrl("restart")), 30);
      Await.until("UnpublishNotify", Duration.ofSeconds(10),
          () -> player.statuses.contains("NetStream.Play.UnpublishNotify"));
      int firstSession = player.video().size();
      assertThat(firstSession).isGreaterThan(50);

      Ffmpeg.awaitSuccess("restart-second", Clients.publish("restart-second", media, node.rtmpUrl("restart")), 30);
      Await.until("the second session's end", Duration.ofSeconds(10),
          () -> player.statuses.stream().filter("NetStream.Play.UnpublishNotify"::equals).count() == 2);
      assertThat(player.video().size()).as("frames of both sessions").isGreaterThanOrEqualTo(2 * firstSession);

      assertThat(player.closedReason).as("player connection").isNull();
      assertThat(player.statuses).containsSubsequence("NetStream.Play.Start", "NetStream.Play.UnpublishNotify",
          "NetStream.Play.PublishNotify", "NetStream.Play.UnpublishNotify");
      assertTimestampsNeverGoBack(player.video());
    }
  }

  @Test
  void takeoverReplacesTheStalePublisherWithoutInterruptingPlayers() throws Exception {
    // The first publisher is still sending when the second comes: takeover-after 0 lets it take over at once.
    try (TestNode node = TestNode.start("--stream.publish-policy=takeover", "--stream.takeover-after=0")) {
      Process first = processes.own(Clients.publish("takeover-first", TestMedia.audioVideo(14, 1),
          node.rtmpUrl("takeover")));
      node.awaitPublisher("takeover");
      RecordingPlayer player = RecordingPlayer.play(clients, node.rtmpPort(), "takeover");
      Await.until("frames of the first publisher", Duration.ofSeconds(10), () -> player.keyframes() >= 1);

      Process second = processes.own(Clients.publish("takeover-second", TestMedia.audioVideo(3, 1),
          node.rtmpUrl("takeover")));
      assertThat(first.waitFor(10, java.util.concurrent.TimeUnit.SECONDS))
          .as("the first publisher is disconnected").isTrue();
      int beforeSecondEnds = player.video().size();
      Ffmpeg.awaitSuccess("takeover-second", second, 30);
      Await.until("UnpublishNotify after the second publisher", Duration.ofSeconds(10),
          () -> player.statuses.contains("NetStream.Play.UnpublishNotify"));

      assertThat(player.video().size()).as("frames from the second publisher").isGreaterThan(beforeSecondEnds + 30);
      assertThat(player.statuses).as("no unpublish between the two publishers")
          .containsOnlyOnce("NetStream.Play.UnpublishNotify");
      assertThat(player.closedReason).isNull();
      assertTimestampsNeverGoBack(player.video());
    }
  }

  @Test
  void rejectRefusesTheSecondPublisherAndKeepsTheFirst() throws Exception {
    try (TestNode node = TestNode.start("--stream.publish-policy=reject")) {
      Process first = processes.own(Clients.publish("reject-first", TestMedia.audioVideo(8, 1),
          node.rtmpUrl("reject")));
      node.awaitPublisher("reject");
      RecordingPlayer player = RecordingPlayer.play(clients, node.rtmpPort(), "reject");

      Process second = processes.own(Clients.publish("reject-second", TestMedia.audioVideo(3, 1),
          node.rtmpUrl("reject")));
      assertThat(second.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(second.exitValue()).as("refused publisher exit code").isNotZero();
      // ffmpeg prints the description of the NetStream.Publish.BadName status it got.
      assertThat(Ffmpeg.logTail("reject-second")).contains("live/reject is already being published");

      Ffmpeg.awaitSuccess("reject-first", first, 30);
      // ffmpeg may exit before the server has seen its connection close: wait for the notice.
      Await.until("UnpublishNotify", Duration.ofSeconds(10),
          () -> player.statuses.contains("NetStream.Play.UnpublishNotify"));
      assertThat(player.statuses).containsOnlyOnce("NetStream.Play.UnpublishNotify");
      assertThat(player.video().size()).as("the first publisher's frames").isGreaterThan(100);
    }
  }

  private static void assertTimestampsNeverGoBack(List<Frame> video) {
    long last = -1;
    for (Frame frame : video) {
      if (!frame.config()) {
        // B-frames reorder presentation, not decoding: RTMP timestamps are decoding times.
        assertThat(frame.timestamp()).as("video timestamp").isGreaterThanOrEqualTo(last);
        last = frame.timestamp();
      }
    }
  }
}
