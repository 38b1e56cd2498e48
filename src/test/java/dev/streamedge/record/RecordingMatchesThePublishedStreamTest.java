package dev.streamedge.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.LogLines;
import dev.streamedge.testing.RecordedFiles;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A publish session of a recorded app becomes one FLV file whose packets are what ffmpeg published,
 * every one of them, in order; apps not listed in {@code record.apps} are not recorded.
 */
@Tag("e2e")
class RecordingMatchesThePublishedStreamTest {

  private static final Path DIR = Path.of("target", "test-out", "rec-frames-" + ProcessHandle.current().pid());

  @RegisterExtension
  static final TestNode node = TestNode.extension("--record.apps=rec", "--record.path=" + DIR);
  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void theRecordingHoldsEveryPublishedPacketAndPlays() throws Exception {
    Path media = TestMedia.audioVideo(6, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    try (LogLines log = LogLines.capture()) {
      Process recorded = processes.own(Clients.publish("rec-frames", media, "rtmp://127.0.0.1:" + node.rtmpPort()
          + "/rec/cam1"));
      Process notRecorded = processes.own(Clients.publish("rec-frames-other", media, node.rtmpUrl("cam1")));
      Ffmpeg.awaitSuccess("rec-frames", recorded, 60);
      Ffmpeg.awaitSuccess("rec-frames-other", notRecorded, 60);
      log.await("record done stream=rec/cam1 ", Duration.ofSeconds(10));
    }

    List<Path> files = RecordedFiles.in(DIR);
    assertThat(files).as("one file, in the app's directory").hasSize(1);
    assertThat(files.get(0).getParent().getFileName()).hasToString("rec");
    assertThat(files.get(0).getFileName().toString()).matches("cam1-\\d{8}T\\d{6}\\.\\d{3}Z\\.flv");
    FrameHashes recording = RecordedFiles.hashes(files);
    assertThat(recording.video()).as("every video packet, from the first").isEqualTo(published.video());
    int audioStart = FrameHashes.assertContiguous("audio", published.audio(), recording.audio());
    assertThat(audioStart).as("audio packets missing at the start").isLessThanOrEqualTo(2);
    assertThat(audioStart + recording.audio().size()).as("audio to the last packet").isEqualTo(published.audio().size());
    RecordedFiles.assertDecodesCleanly(files.get(0));
    assertThat(RecordedFiles.lastTimestampSeconds(files.get(0))).as("timestamps start at 0").isBetween(5.5, 6.5);
  }
}
