package dev.streamedge.vod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.BrowserPlayback;
import dev.streamedge.testing.Ffmpeg;
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
 * A file of an app of {@code vod.apps} in Chromium's own {@code <video>} element, as a page with
 * {@code <video src="http://host:8080/vod/clip.mp4">} plays it: no player library, the browser fetching the
 * file by Range requests, its index at the file's end, and a seek into the middle before it plays.
 */
@Tag("browser")
class FilesInABrowserTest {

  private static final Path FILES = Path.of("target", "test-out", "vod-browser-files").toAbsolutePath();

  @RegisterExtension
  static final TestNode NODE = TestNode.extension("--vod.apps=vod=" + FILES);

  @Test
  void chromiumsVideoElementSeeksIntoAnMp4AndPlaysOnFromThere() throws Exception {
    Files.createDirectories(FILES);
    // Six seconds at 640x360, H.264 with B-frames and AAC, the moov where ffmpeg leaves it: at the end.
    Ffmpeg.run("vod-browser-mp4", List.of("-i", TestMedia.audioVideo(6, 1).toString(), "-c", "copy", "-y",
        FILES.resolve("clip.mp4").toString()), 30);
    BrowserPlayback.Result result = BrowserPlayback.play("vod-video", "video", NODE.httpUrl("/vod/clip.mp4"), 2,
        Duration.ofSeconds(40), List.of("--start", "3"));
    assertThat(result.ok()).as(result.describe()).isTrue();
    assertThat(result.videoWidth()).as(result.describe()).isEqualTo(640);
    // From 3 s on: two seconds played end past 4.9 s, where a play from the start would be near 2.
    assertThat(result.currentTime()).as(result.describe()).isGreaterThan(4.9);
    assertThat(result.decodedFrames()).as(result.describe()).isPositive();
  }
}
