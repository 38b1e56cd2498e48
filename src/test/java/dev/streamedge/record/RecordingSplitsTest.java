package dev.streamedge.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.LogLines;
import dev.streamedge.testing.Mp4Check;
import dev.streamedge.testing.RecordedFiles;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code record.max-duration} and {@code record.max-size} split a recording at keyframes into files that
 * each play alone (each starts with metadata and sequence headers, or in fMP4 its own init segment, at
 * time 0), and that together hold every packet.
 */
@Tag("e2e")
class RecordingSplitsTest {

  private static final Path DIR = Path.of("target", "test-out", "rec-split-" + ProcessHandle.current().pid());
  private static final Path BY_SIZE = Path.of("target", "test-out", "rec-split-size-" + ProcessHandle.current().pid());
  private static final Path FMP4 = Path.of("target", "test-out", "rec-split-fmp4-" + ProcessHandle.current().pid());

  @RegisterExtension
  static final TestNode node = TestNode.extension("--record.apps=live", "--record.path=" + DIR,
      "--record.max-duration=2s");
  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void maxDurationGivesPartsThatEachPlayAloneAndTogetherHoldEveryPacket() throws Exception {
    Path media = TestMedia.audioVideo(5, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    try (LogLines log = LogLines.capture()) {
      Process publisher = processes.own(Clients.publish("rec-split", media, node.rtmpUrl("split")));
      Ffmpeg.awaitSuccess("rec-split", publisher, 60);
      log.await("record stop stream=live/split files=3 ", Duration.ofSeconds(10));
      Await.until("three files done", Duration.ofSeconds(10), () -> log.count("record done stream=live/split ") == 3);
    }

    assertTwoSecondPartsHoldEveryPacket(RecordedFiles.in(DIR), published);
  }

  @Test
  void maxDurationGivesFragmentedMp4PartsEachWithItsOwnInit() throws Exception {
    Path media = TestMedia.audioVideo(5, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    try (TestNode fmp4 = TestNode.start("--record.apps=live", "--record.path=" + FMP4, "--record.max-duration=2s",
        "--record.format=fmp4");
        LogLines log = LogLines.capture()) {
      Process publisher = processes.own(Clients.publish("rec-split-fmp4", media, fmp4.rtmpUrl("split")));
      Ffmpeg.awaitSuccess("rec-split-fmp4", publisher, 60);
      log.await("record stop stream=live/split files=3 ", Duration.ofSeconds(10));
      Await.until("three files done", Duration.ofSeconds(10), () -> log.count("record done stream=live/split ") == 3);
    }

    List<Path> files = RecordedFiles.in(FMP4);
    for (Path file : files) {
      assertThat(file.getFileName().toString()).endsWith(".mp4");
      assertThat(Mp4Check.tree(Files.readAllBytes(file))).as(file + " starts with its own init segment")
          .startsWith("ftyp moov[");
    }
    assertTwoSecondPartsHoldEveryPacket(files, published);
  }

  private static void assertTwoSecondPartsHoldEveryPacket(List<Path> files, FrameHashes published) throws Exception {
    // 5 s of media with a keyframe every second, cut at the first keyframe from 2 s on: 2 + 2 + 1.
    assertThat(files).hasSize(3);
    for (Path file : files.subList(0, files.size() - 1)) {
      RecordedFiles.assertDecodesCleanly(file);
      assertThat(RecordedFiles.lastTimestampSeconds(file)).as(file + " starts at 0, ends about 2 s later (B-frames put some pts after their dts)")
          .isBetween(1.8, 2.2);
    }
    RecordedFiles.assertDecodesCleanly(files.get(files.size() - 1));
    FrameHashes parts = RecordedFiles.hashes(files);
    assertThat(parts.video()).as("every video packet, each once").isEqualTo(published.video());
    int audioStart = FrameHashes.assertContiguous("audio", published.audio(), parts.audio());
    assertThat(audioStart + parts.audio().size()).isEqualTo(published.audio().size());
  }

  @Test
  void maxSizeCutsAtTheFirstKeyframeAfterTheSize() throws Exception {
    Path media = TestMedia.audioVideo(5, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    // About 110 KiB a second: 150 KiB is reached in the second GOP, so each part holds two GOPs.
    try (TestNode sized = TestNode.start("--record.apps=live", "--record.path=" + BY_SIZE, "--record.max-size=150KiB");
        LogLines log = LogLines.capture()) {
      Process publisher = processes.own(Clients.publish("rec-split-size", media, sized.rtmpUrl("size")));
      Ffmpeg.awaitSuccess("rec-split-size", publisher, 60);
      log.await("record stop stream=live/size files=3 ", Duration.ofSeconds(10));
      Await.until("three files done", Duration.ofSeconds(10), () -> log.count("record done stream=live/size ") == 3);
    }

    List<Path> files = RecordedFiles.in(BY_SIZE);
    assertThat(files).hasSize(3);
    for (Path file : files.subList(0, 2)) {
      assertThat(file).as("a size at the cut, one GOP beyond max-size at most").isNotEmptyFile();
      assertThat(Files.size(file)).isBetween(150L * 1024, 150L * 1024 + 300 * 1024);
    }
    for (Path file : files) {
      RecordedFiles.assertDecodesCleanly(file);
    }
    FrameHashes parts = RecordedFiles.hashes(files);
    assertThat(parts.video()).as("every video packet, each once").isEqualTo(published.video());
  }
}
