package dev.streamedge.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.NodeProcess;
import dev.streamedge.testing.Rtmpdump;
import dev.streamedge.testing.TestMedia;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RTMPT across a cluster: Debian's ffmpeg 5.1 publishes rtmpt:// to an origin node, and on an edge
 * node, which pulls the stream from the origin, Debian's ffmpeg and rtmpdump play it over rtmpt://;
 * what they get is what was published, frame for frame, from the keyframe they joined at.
 */
@Tag("cluster")
class RtmptEdgeTest {

  private static final Duration JOIN = Duration.ofSeconds(60);
  private static final Duration EVENT = Duration.ofSeconds(10);

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void rtmptViewersOnAnEdgeGetWhatAnRtmptPublisherSentToTheOrigin() throws Exception {
    List<Integer> ports = NodeProcess.memberPorts(2);
    NodeProcess origin = processes.own(NodeProcess.cluster("rtmpt-origin", ports.get(0), ports,
        "--cluster.role=origin"));
    NodeProcess edge = processes.own(NodeProcess.cluster("rtmpt-edge", ports.get(1), ports, "--cluster.role=edge"));
    origin.awaitCluster(2, JOIN);
    edge.awaitCluster(2, JOIN);

    String key = "tunnelled";
    Path media = TestMedia.audioVideo(6, 1);
    // ffmpeg's RTMPT client drops the last packets it holds when it closes (see RtmptPublishPlayTest):
    // it publishes the media twice, and the players must get everything up to that lost tail.
    Process publisher = processes.own(Ffmpeg.startDebian("rtmpt-edge-publisher", List.of("-re", "-stream_loop", "1",
        "-i", media.toString(), "-c", "copy", "-f", "flv", origin.rtmptUrl(key))));
    origin.awaitLog("publish \\S+ stream=live/" + key + " protocol=rtmpt", EVENT);
    origin.awaitLog("directory: live/" + key + " codecs video=H.264", EVENT);

    Path ffmpegHashes = Clients.output("rtmpt-edge-ffmpeg.framemd5");
    Process ffmpegPlayer = processes.own(Ffmpeg.startDebian("rtmpt-edge-ffmpeg", List.of("-i", edge.rtmptUrl(key),
        "-map", "0", "-c", "copy", "-f", "framemd5", "-y", ffmpegHashes.toString())));
    Path saved = Clients.output("rtmpt-edge-rtmpdump.flv");
    Process rtmpdump = processes.own(Rtmpdump.play(edge.rtmptUrl(key), saved, "rtmpt-edge-rtmpdump.log"));
    edge.awaitLog("play \\S+ stream=live/" + key + " protocol=rtmpt", EVENT);

    Ffmpeg.awaitSuccess("rtmpt-edge-publisher", publisher, 60);
    Ffmpeg.awaitSuccess("rtmpt-edge-ffmpeg", ffmpegPlayer, 30);
    assertThat(rtmpdump.waitFor(30, TimeUnit.SECONDS)).as("rtmpdump ended with the stream").isTrue();
    Path rtmpdumpHashes = Clients.output("rtmpt-edge-rtmpdump.framemd5");
    Ffmpeg.run("rtmpt-edge-rtmpdump-framemd5", List.of("-i", saved.toString(), "-map", "0", "-c", "copy", "-f",
        "framemd5", "-y", rtmpdumpHashes.toString()), 30);

    FrameHashes once = FrameHashes.ofFile(media);
    FrameHashes twice = new FrameHashes(twice(once.video()), twice(once.audio()));
    assertReceivedFromTheFirstPass("ffmpeg 5.1 over RTMPT on the edge", once, twice,
        FrameHashes.parse(ffmpegHashes));
    assertReceivedFromTheFirstPass("rtmpdump over RTMPT on the edge", once, twice, FrameHashes.parse(rtmpdumpHashes));
  }

  private static List<String> twice(List<String> hashes) {
    List<String> both = new ArrayList<>(hashes);
    both.addAll(hashes);
    return both;
  }

  /** Joined during the first pass, contiguous from there, and on to the end but the lost tail. */
  private static void assertReceivedFromTheFirstPass(String what, FrameHashes once, FrameHashes twice,
      FrameHashes received) {
    int videoStart = FrameHashes.assertContiguous(what + " video", twice.video(), received.video());
    int audioStart = FrameHashes.assertContiguous(what + " audio", twice.audio(), received.audio());
    assertThat(videoStart).as(what + ": joined in the first pass").isLessThan(once.video().size() / 2);
    assertThat(videoStart + received.video().size()).as(what + ": video to the end, but the tail ffmpeg drops")
        .isGreaterThanOrEqualTo(twice.video().size() - 10);
    assertThat(audioStart + received.audio().size()).as(what + ": audio to the end, but the tail ffmpeg drops")
        .isGreaterThanOrEqualTo(twice.audio().size() - 10);
  }
}
