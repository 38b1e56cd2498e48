package dev.streamedge.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.NodeProcess;
import dev.streamedge.testing.RecordedFiles;
import dev.streamedge.testing.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Crash safety: after {@code kill -9} of the node mid-stream the recording plays, and holds the stream up
 * to within about a second of the kill, in either format. FLV is written tag by tag, fMP4 fragment by
 * fragment (about every 0.5 s); neither needs a trailer.
 */
@Tag("e2e")
@Tag("timing")
class RecordingSurvivesAKilledNodeTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @ParameterizedTest(name = "record.format {0}")
  @ValueSource(strings = {"flv", "fmp4"})
  void afterKillMinus9TheFilePlaysToWithinASecondOfTheKill(String format) throws Exception {
    Path dir = Path.of("target", "test-out", "rec-kill-" + format + "-" + ProcessHandle.current().pid());
    Path media = TestMedia.audioVideo(20, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    try (NodeProcess node = NodeProcess.single("rec-kill-" + format, "--record.apps=live", "--record.path=" + dir,
        "--record.format=" + format)) {
      node.awaitLog("listening: ", Duration.ofSeconds(30));
      processes.own(Clients.publish("rec-kill-publisher-" + format, media, node.rtmpUrl("cam")));
      node.awaitLog("record start stream=live/cam ", Duration.ofSeconds(20));
      // The file started no later than now, and ffmpeg -re sends in real time.
      long started = System.nanoTime();
      Thread.sleep(5000);
      long recordedNanos = System.nanoTime() - started;
      node.kill();
      double killedAfter = recordedNanos / 1e9;

      List<Path> files = RecordedFiles.in(dir);
      assertThat(files).hasSize(1);
      double last = RecordedFiles.lastTimestampSeconds(files.get(0));
      System.out.printf("%s recording after kill -9: %d bytes, last packet at %.3f s, kill %.3f s after the file"
          + " started%n", format, Files.size(files.get(0)), last, killedAfter);
      assertThat(last).as("media in the file, against the time from its start to the kill")
          .isGreaterThan(killedAfter - 1.0);
      RecordedFiles.assertPlays(files.get(0));
      FrameHashes recording = RecordedFiles.hashes(files);
      // The last tag (or fragment) may be torn by the kill; every packet before it is what was published.
      List<String> whole = recording.video().subList(0, recording.video().size() - 1);
      assertThat(published.video().subList(0, whole.size())).isEqualTo(whole);
    }
  }
}
