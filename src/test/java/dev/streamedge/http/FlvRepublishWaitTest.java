package dev.streamedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FlvViewer;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code player.flv-republish-wait}: an HTTP-FLV stream whose publisher left stays open that long for one
 * that comes back on the key, and carries on as one stream; without it (the default) it ends at once, as
 * a file would.
 */
@Tag("e2e")
class FlvRepublishWaitTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void anHttpFlvViewerPlaysOnWhenThePublisherComesBackWithinTheWait() throws Exception {
    Path media = TestMedia.audioVideo(4, 1);
    try (TestNode node = TestNode.start("--player.flv-republish-wait=3s")) {
      Process first = processes.own(Clients.publish("republish-first", media, node.rtmpUrl("back")));
      node.awaitPublisher("back");
      FlvViewer viewer = FlvViewer.open(node.httpUrl("/live/back.flv"));
      try {
        Ffmpeg.awaitSuccess("republish-first", first, 60);
        int beforeCut = viewer.video().size();
        Thread.sleep(1000);
        assertThat(viewer.ended()).as("the stream a second after its publisher left").isFalse();
        Ffmpeg.awaitSuccess("republish-second", Clients.publish("republish-second", media, node.rtmpUrl("back")), 60);
        List<FlvViewer.VideoTag> video = viewer.video();
        // The second session's 4 s at 25 fps came through the same response, on one timeline.
        assertThat(video.size() - beforeCut).as("frames after the publisher came back").isGreaterThanOrEqualTo(90);
        assertThat(video).extracting(FlvViewer.VideoTag::timestamp).as("FLV times across the cut").isSorted();
        // No one comes back this time: the stream ends once the wait runs out.
        Await.until("the stream's end after the wait", Duration.ofSeconds(15), viewer::ended);
      } finally {
        viewer.close();
      }
    }
  }

  @Test
  void withoutAWaitTheHttpFlvStreamEndsWhenItsPublisherLeaves() throws Exception {
    try (TestNode node = TestNode.start()) {
      Process publisher = processes.own(Clients.publish("no-wait", TestMedia.audioVideo(4, 1), node.rtmpUrl("gone")));
      node.awaitPublisher("gone");
      FlvViewer viewer = FlvViewer.open(node.httpUrl("/live/gone.flv"));
      try {
        Ffmpeg.awaitSuccess("no-wait", publisher, 60);
        Await.until("the stream's end", Duration.ofSeconds(5), viewer::ended);
        assertThat(viewer.video()).as("frames before the end").isNotEmpty();
      } finally {
        viewer.close();
      }
    }
  }
}
