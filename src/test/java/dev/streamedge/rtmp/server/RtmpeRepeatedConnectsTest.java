package dev.streamedge.rtmp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ffmpeg fails one RTMPE connect in 256 against a server that lets the Diffie-Hellman shared secret
 * start with a zero byte (it hashes the secret one byte short): a hundred ffmpeg connects in a row all
 * play, each checked against the published media. Unit tests pin the redraw itself
 * (EncryptedHandshakeTest); this one is the real client's word on it.
 */
@Tag("e2e")
class RtmpeRepeatedConnectsTest {

  private static final int CONNECTS = 100;

  @RegisterExtension
  static final TestNode node = TestNode.extension();
  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void aHundredRtmpeConnectsInARowAllPlayThePublishedMedia() throws Exception {
    Path media = TestMedia.audioVideo(4, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    processes.own(Clients.publishLooping("rtmpe-connects-publisher", media, node.rtmpUrl("connects")));
    node.awaitPublisher("connects");
    Path out = Clients.output("rtmpe-connect.framemd5");
    for (int i = 0; i < CONNECTS; i++) {
      // Handshake, connect, play, and the first video packet from the GOP cache, without waiting to
      // probe the streams: every byte of it went through the handshake's keys both ways, and a packet
      // equal to a published one proves them right.
      Ffmpeg.run("rtmpe-connect", List.of("-probesize", "32", "-analyzeduration", "0", "-i", node.rtmpeUrl("connects"),
          "-map", "0:v", "-c", "copy", "-frames:v", "1", "-f", "framemd5", "-y", out.toString()), 20);
      List<String> video = FrameHashes.parse(out).video();
      assertThat(video).as("connect " + i).hasSize(1);
      assertThat(published.video()).as("connect " + i + "'s first packet was published").contains(video.get(0));
    }
  }
}
