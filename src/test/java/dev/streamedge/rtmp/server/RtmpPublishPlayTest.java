package dev.streamedge.rtmp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ffmpeg publishes, two ffmpeg players receive with -c copy: what they get is what was published,
 * frame for frame, for audio+video, video-only and audio-only streams, over RTMP and RTMPS.
 */
@Tag("e2e")
class RtmpPublishPlayTest {

  @RegisterExtension
  static final TestNode node = TestNode.extension(TestNode.rtmpsOptions());
  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void twoPlayersReceiveEveryPublishedAudioAndVideoPacket() throws Exception {
    assertPlayersReceiveAll(node, "av", TestMedia.audioVideo(8, 2), node::rtmpUrl);
  }

  @Test
  void videoOnlyStreamPlays() throws Exception {
    assertPlayersReceiveAll(node, "video-only", TestMedia.videoOnly(4), node::rtmpUrl);
  }

  @Test
  void audioOnlyStreamPlays() throws Exception {
    assertPlayersReceiveAll(node, "audio-only", TestMedia.audioOnly(4), node::rtmpUrl);
  }

  @Test
  void rtmpsPublishAndPlayReceiveEveryPacket() throws Exception {
    assertPlayersReceiveAll(node, "rtmps", TestMedia.audioVideo(6, 2), node::rtmpsUrl);
  }

  @Test
  void playersOfANodeThatMergesWritesReceiveEveryPacket() throws Exception {
    try (TestNode merging = TestNode.start("--player.merge-write=100ms")) {
      assertPlayersReceiveAll(merging, "merged", TestMedia.audioVideo(6, 2), merging::rtmpUrl);
    }
  }

  private void assertPlayersReceiveAll(TestNode server, String key, Path media, Function<String, String> url)
      throws Exception {
    FrameHashes published = FrameHashes.ofFile(media);
    Path out1 = Clients.output(key + "-player1.framemd5");
    Path out2 = Clients.output(key + "-player2.framemd5");
    // Players first: they wait for the publisher (idle stream) and so see the stream from its start.
    Process player1 = processes.own(Clients.playToHashes(key + "-player1", url.apply(key), out1));
    Process player2 = processes.own(Clients.playToHashes(key + "-player2", url.apply(key), out2));
    server.awaitSubscribers(key, 2);
    Process publisher = processes.own(Clients.publish(key + "-publisher", media, url.apply(key)));
    Ffmpeg.awaitSuccess(key + "-publisher", publisher, 60);
    // ffmpeg players end on NetStream.Play.UnpublishNotify, after the last packet.
    Ffmpeg.awaitSuccess(key + "-player1", player1, 20);
    Ffmpeg.awaitSuccess(key + "-player2", player2, 20);
    for (Path out : new Path[] {out1, out2}) {
      FrameHashes received = FrameHashes.parse(out);
      assertThat(received.video()).as(out + " video").isEqualTo(published.video());
      assertThat(received.audio()).as(out + " audio").isEqualTo(published.audio());
    }
  }
}
