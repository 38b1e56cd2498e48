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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code rtmp.idle-streams}, nginx-rtmp's {@code idle_streams}: on (the default) a player of a stream nobody
 * publishes waits for a publisher and stays through its end; off, such a play is refused with
 * NetStream.Play.StreamNotFound and its connection ended, and players' connections end with their publisher.
 */
@Tag("e2e")
class IdleStreamsTest {

  private static final Duration BOUND = Duration.ofSeconds(10);

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void offAPlayOfAStreamNobodyPublishesIsRefusedAndItsConnectionEnded() throws Exception {
    try (TestNode node = TestNode.start("--rtmp.idle-streams=false")) {
      try (RawRtmp player = RawRtmp.playing(node.rtmpPort(), "nobody")) {
        player.awaitStatus("NetStream.Play.StreamNotFound", BOUND);
        assertThat(player.awaitClosedByServer(BOUND)).isLessThan(Duration.ofSeconds(2));
      }
      // ffmpeg, as a user sees it: an error at once instead of a wait.
      long start = System.nanoTime();
      Process ffmpeg = processes.own(Ffmpeg.start("idle-streams-off-nobody",
          List.of("-i", node.rtmpUrl("nobody"), "-f", "null", "-")));
      assertThat(ffmpeg.waitFor(10, TimeUnit.SECONDS)).as("ffmpeg gave up").isTrue();
      assertThat(ffmpeg.exitValue()).isNotZero();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(Ffmpeg.logTail("idle-streams-off-nobody")).contains("No such stream");
    }
  }

  @Test
  void offPlayersGetThePublishersFramesAndTheirConnectionsEndWithIt() throws Exception {
    Path media = TestMedia.audioVideo(4, 1);
    try (TestNode node = TestNode.start("--rtmp.idle-streams=false")) {
      Process publisher = processes.own(Clients.publish("idle-streams-off-publisher", media, node.rtmpUrl("live1")));
      node.awaitPublisher("live1");
      Path hashes = Clients.output("idle-streams-off.framemd5");
      Process ffmpeg = processes.own(Clients.playToHashes("idle-streams-off-player", node.rtmpUrl("live1"), hashes));
      try (RawRtmp player = RawRtmp.playing(node.rtmpPort(), "live1")) {
        player.awaitStatus("NetStream.Play.Start", BOUND);
        Ffmpeg.awaitSuccess("idle-streams-off-publisher", publisher, 20);
        player.awaitStatus("NetStream.Play.UnpublishNotify", BOUND);
        assertThat(player.awaitClosedByServer(BOUND)).isLessThan(Duration.ofSeconds(2));
      }
      Ffmpeg.awaitSuccess("idle-streams-off-player", ffmpeg, 20);
      FrameHashes received = FrameHashes.parse(hashes);
      FrameHashes.assertContiguous("video", FrameHashes.ofFile(media).video(), received.video());
      assertThat(received.video()).hasSizeGreaterThan(40);
    }
  }

  @Test
  void onByDefaultAPlayerWaitsForAPublisherAndStaysThroughItsEnd() throws Exception {
    try (TestNode node = TestNode.start();
        RawRtmp player = RawRtmp.playing(node.rtmpPort(), "later")) {
      player.awaitStatus("NetStream.Play.Start", BOUND);
      Process publisher = processes.own(Clients.publish("idle-streams-on-publisher", TestMedia.audioVideo(2, 1),
          node.rtmpUrl("later")));
      player.awaitStatus("NetStream.Play.PublishNotify", BOUND);
      Ffmpeg.awaitSuccess("idle-streams-on-publisher", publisher, 20);
      player.awaitStatus("NetStream.Play.UnpublishNotify", BOUND);
      player.pingRoundTrip(5);
    }
  }
}
