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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A disk that fills up mid-stream (a 1 MiB tmpfs, as root) stops the recording with one log line and
 * {@code streamedge_recordings_failed_total}, while an RTMP viewer of the same stream gets every packet
 * to the end. Without root, a directory that cannot be written stands in for the full disk. A path
 * that cannot be written at all (a read-only mount) stops the recording at its start, the same way.
 */
@Tag("e2e")
class RecordingOnAFullDiskStopsAloneTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void aFullDiskStopsTheRecordingAndTheViewerGetsEveryPacket() throws Exception {
    Path dir = Path.of("target", "test-out", "rec-full-" + ProcessHandle.current().pid()).toAbsolutePath();
    Files.createDirectories(dir);
    boolean tmpfs = "root".equals(System.getProperty("user.name"));
    if (tmpfs) {
      run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir.toString());
    } else {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
    }
    try (TestNode node = TestNode.start("--record.apps=live", "--record.path=" + dir);
        LogLines log = LogLines.capture()) {
      // 5 Mbit/s: the 1 MiB disk is full after about 1.7 s of a 6 s stream.
      Path media = TestMedia.fiveMegabit(6);
      FrameHashes published = FrameHashes.ofFile(media);
      Process publisher = processes.own(Clients.publish("rec-full-publisher", media, node.rtmpUrl("full")));
      node.awaitPublisher("full");
      Path viewed = Clients.output("rec-full-viewer.framemd5");
      Process viewer = processes.own(Clients.playToHashes("rec-full-viewer", node.rtmpUrl("full"), viewed));

      log.await("record failed stream=live/full .*(No space left on device|AccessDeniedException).*the recording stops",
          Duration.ofSeconds(20));
      assertThat(node.scrape().value("streamedge_recordings_failed_total")).isEqualTo(1.0);
      assertThat(node.node().registry().isLive(new dev.streamedge.stream.StreamKey("live", "full")))
          .as("the stream is live after the recording stopped").isTrue();
      Ffmpeg.awaitSuccess("rec-full-publisher", publisher, 60);
      Ffmpeg.awaitSuccess("rec-full-viewer", viewer, 20);

      FrameHashes received = FrameHashes.parse(viewed);
      int start = FrameHashes.assertContiguous("video", published.video(), received.video());
      assertThat(start + received.video().size()).as("the viewer got video to the last packet")
          .isEqualTo(published.video().size());
      assertThat(log.count("record failed ")).as("one log line").isEqualTo(1);
      assertThat(node.scrape().value("streamedge_recordings_open")).isEqualTo(0.0);
      if (tmpfs) {
        List<Path> files = RecordedFiles.in(dir);
        assertThat(files).hasSize(1);
        // What fitted on the disk still plays.
        RecordedFiles.assertPlays(files.get(0));
      }
    } finally {
      if (tmpfs) {
        run("umount", dir.toString());
      } else {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
  }

  @Test
  void aPathThatCannotBeWrittenStopsTheRecordingAndThePublishGoesOn() throws Exception {
    Path dir = Path.of("target", "test-out", "rec-ro-" + ProcessHandle.current().pid()).toAbsolutePath();
    Files.createDirectories(dir);
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      run("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", dir.toString());
    } else {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
    }
    try (TestNode node = TestNode.start("--record.apps=live", "--record.path=" + dir);
        LogLines log = LogLines.capture()) {
      Process publisher = processes.own(Clients.publish("rec-ro-publisher", TestMedia.audioVideo(3, 1),
          node.rtmpUrl("ro")));
      log.await("record failed stream=live/ro .*cannot open: .*the recording stops", Duration.ofSeconds(20));
      assertThat(node.scrape().value("streamedge_recordings_failed_total")).isEqualTo(1.0);
      Ffmpeg.awaitSuccess("rec-ro-publisher", publisher, 60);
      // The publisher sent its 3 s and ended as usual: with deleteStream, or, when ffmpeg closed its socket
      // with a reply of ours unread, with the reset that close sends, which can take the deleteStream
      // still in our receive queue with it (seen once in CI). Either way after ffmpeg's own end.
      log.await("unpublish \\S+ stream=live/ro reason=(deleteStream|socket error: .*Connection reset by peer)",
          Duration.ofSeconds(10));
      assertThat(RecordedFiles.in(dir)).isEmpty();
    } finally {
      if (root) {
        run("umount", dir.toString());
      } else {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).inheritIO().start();
    if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed");
    }
  }
}
