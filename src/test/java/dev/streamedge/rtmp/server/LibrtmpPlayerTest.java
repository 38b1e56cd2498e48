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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * rtmpdump plays through librtmp, the RTMP implementation of OBS's classic output and of many players,
 * independent of ffmpeg's: what it saves is what ffmpeg published, frame for frame.
 */
@Tag("e2e")
class LibrtmpPlayerTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void rtmpdumpReceivesEveryPublishedPacket() throws Exception {
    Path media = TestMedia.audioVideo(6, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    Path saved = Clients.output("rtmpdump.flv");
    try (TestNode node = TestNode.start()) {
      Process player = processes.own(new ProcessBuilder("rtmpdump", "--live", "--quiet", "-r", node.rtmpUrl("librtmp"),
          "-o", saved.toString())
          .redirectErrorStream(true)
          .redirectOutput(Clients.output("rtmpdump.log").toFile())
          .start());
      node.awaitSubscribers("librtmp", 1);
      Ffmpeg.awaitSuccess("librtmp-publisher", Clients.publish("librtmp-publisher", media, node.rtmpUrl("librtmp")),
          60);
      // librtmp ends a live download when the stream is unpublished.
      assertThat(player.waitFor(20, TimeUnit.SECONDS)).as("rtmpdump ended").isTrue();
    }
    Path hashes = Clients.output("rtmpdump.framemd5");
    Ffmpeg.run("rtmpdump-framemd5", List.of("-i", saved.toString(), "-map", "0", "-c", "copy", "-f", "framemd5",
        "-y", hashes.toString()), 30);
    FrameHashes received = FrameHashes.parse(hashes);
    assertThat(received.video()).isEqualTo(published.video());
    assertThat(received.audio()).isEqualTo(published.audio());
  }
}
