package dev.streamedge.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.LogLines;
import dev.streamedge.testing.Mp4Check;
import dev.streamedge.testing.RecordedFiles;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code record.format: fmp4}: a publish session becomes one fragmented MP4 file, an init segment then
 * a fragment about every half second and nothing after the last, whose packets are what ffmpeg
 * published; ffmpeg decodes it with no error; the API lists it and serves it as video/mp4. HEVC, AV1 and
 * VP9 with Opus, from Enhanced RTMP, are recorded as published too (AV1 without its temporal delimiters).
 */
@Tag("e2e")
class FragmentedMp4RecordingTest {

  private static final Path DIR = Path.of("target", "test-out", "rec-fmp4-" + ProcessHandle.current().pid());

  @RegisterExtension
  static final TestNode node = TestNode.extension("--record.apps=rec", "--record.path=" + DIR,
      "--record.format=fmp4");
  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void theMp4HoldsEveryPublishedPacketInFragmentsAndPlays() throws Exception {
    Path media = TestMedia.audioVideo(6, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    try (LogLines log = LogLines.capture()) {
      Process publisher = processes.own(Clients.publish("rec-fmp4", media, "rtmp://127.0.0.1:" + node.rtmpPort()
          + "/rec/cam1"));
      Ffmpeg.awaitSuccess("rec-fmp4", publisher, 60);
      log.await("record done stream=rec/cam1 ", Duration.ofSeconds(10));
    }

    List<Path> files = RecordedFiles.in(DIR);
    assertThat(files).as("one file, in the app's directory").hasSize(1);
    Path file = files.get(0);
    assertThat(file.getFileName().toString()).matches("cam1-\\d{8}T\\d{6}\\.\\d{3}Z\\.mp4");
    byte[] bytes = Files.readAllBytes(file);
    List<String> boxes = topLevelBoxes(Mp4Check.tree(bytes));
    System.out.printf("fmp4 recording: %d bytes, %d fragments%n", bytes.length, (boxes.size() - 2) / 2);
    assertThat(boxes.subList(0, 2)).as("the init segment first").containsExactly("ftyp", "moov");
    assertThat(boxes.size() % 2).as("then moof + mdat pairs, nothing else").isZero();
    for (int i = 2; i < boxes.size(); i += 2) {
      assertThat(boxes.subList(i, i + 2)).containsExactly("moof", "mdat");
    }
    assertThat((boxes.size() - 2) / 2).as("a fragment about every 0.5 s of 6 s").isBetween(10, 14);

    FrameHashes recording = RecordedFiles.hashes(files);
    assertThat(recording.video()).as("every video packet, from the first").isEqualTo(published.video());
    int audioStart = FrameHashes.assertContiguous("audio", published.audio(), recording.audio());
    assertThat(audioStart).as("audio packets missing at the start").isLessThanOrEqualTo(2);
    assertThat(audioStart + recording.audio().size()).as("audio to the last packet").isEqualTo(published.audio().size());
    RecordedFiles.assertDecodesCleanly(file);
    assertThat(RecordedFiles.lastTimestampSeconds(file)).as("timestamps start at 0").isBetween(5.5, 6.5);

    String name = "rec/" + file.getFileName();
    JsonObject listed = new JsonObject(Http.get(node.httpUrl("/api/v1/recordings")).body()).getJsonArray("recordings")
        .stream().map(JsonObject.class::cast).filter(r -> r.getString("name").equals(name)).findFirst().orElseThrow();
    assertThat(listed.getString("format")).isEqualTo("fmp4");
    assertThat(listed.getLong("bytes")).isEqualTo(bytes.length);
    // The duration the list gives is the end of the last fragment: what ffprobe makes of the same file.
    Ffmpeg.awaitSuccess("rec-fmp4-duration", Ffmpeg.startProbe("rec-fmp4-duration", List.of("-v", "error",
        "-show_entries", "format=duration", "-of", "csv=p=0", file.toString())), 30);
    double probed = Double.parseDouble(Ffmpeg.logTail("rec-fmp4-duration").strip());
    System.out.printf("fmp4 recording's duration: %.3f s in the API, %.3f s by ffprobe%n", listed.getDouble("duration"),
        probed);
    assertThat(listed.getDouble("duration")).as("the API's duration against ffprobe's").isCloseTo(probed,
        org.assertj.core.data.Offset.offset(0.05));
    HttpResponse<byte[]> download = Http.getBytes(node.httpUrl("/api/v1/recordings/" + name));
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.headers().firstValue("Content-Type")).hasValue("video/mp4");
    assertThat(download.body()).isEqualTo(bytes);
  }

  @ParameterizedTest(name = "{0} + Opus")
  @ValueSource(strings = {"hevc", "av1", "vp9"})
  void enhancedRtmpCodecsAreRecordedAsPublished(String codec) throws Exception {
    Path media = TestMedia.enhanced(codec, "opus", 4);
    FrameHashes published = FrameHashes.ofFile(media);
    String key = "enh-" + codec;
    try (LogLines log = LogLines.capture()) {
      Process publisher = processes.own(Clients.publish("rec-fmp4-" + codec, media, "rtmp://127.0.0.1:"
          + node.rtmpPort() + "/rec/" + key));
      Ffmpeg.awaitSuccess("rec-fmp4-" + codec, publisher, 60);
      log.await("record done stream=rec/" + key + " ", Duration.ofSeconds(10));
    }
    List<Path> files = RecordedFiles.in(DIR).stream()
        .filter(f -> f.getFileName().toString().startsWith(key + "-")).toList();
    assertThat(files).hasSize(1);
    Path file = files.get(0);

    String probe = "rec-fmp4-probe-" + codec;
    Ffmpeg.awaitSuccess(probe, Ffmpeg.startProbe(probe, List.of("-v", "error", "-show_entries",
        "stream=codec_name", "-of", "csv=p=0", file.toString())), 30);
    assertThat(Ffmpeg.logTail(probe).lines().toList()).containsExactly(codec, "opus");
    FrameHashes recording = RecordedFiles.hashes(files);
    if (codec.equals("av1")) {
      // AV1 in ISOBMFF carries no temporal delimiter OBU (AV1 ISOBMFF binding §2.4): each sample is the
      // published packet without its 2-byte delimiter.
      assertThat(recording.video().stream().map(FragmentedMp4RecordingTest::size).toList())
          .isEqualTo(published.video().stream().map(p -> size(p) - 2).toList());
    } else {
      assertThat(recording.video()).as("every video packet, from the first").isEqualTo(published.video());
    }
    FrameHashes.assertContiguous("audio", published.audio(), recording.audio());
    RecordedFiles.assertDecodesCleanly(file);
  }

  /** The size of a {@link FrameHashes} entry, {@code size:hash}. */
  private static int size(String entry) {
    return Integer.parseInt(entry.substring(0, entry.indexOf(':')));
  }

  /** The top-level box types of a tree as {@link Mp4Check#tree} writes it. */
  private static List<String> topLevelBoxes(String tree) {
    StringBuilder top = new StringBuilder();
    int depth = 0;
    for (char c : tree.toCharArray()) {
      if (c == '[') {
        depth++;
      } else if (c == ']') {
        depth--;
      } else if (depth == 0) {
        top.append(c);
      }
    }
    return List.of(top.toString().trim().split(" +"));
  }
}
