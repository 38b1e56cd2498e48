package dev.streamedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.BrowserPlayback;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * hls.js 1.7.4 in headless Chromium plays an encrypted app's seed URL ({@code hls.keys}, AES-128 MPEG-TS with
 * keys rotated every two segments): it fetches each key the playlist names, decrypts with WebCrypto, and decodes
 * the video, as it would nginx-rtmp's {@code hls_keys}.
 */
@Tag("browser")
class EncryptedHlsBrowserTest {

  @RegisterExtension
  static final TestNode NODE = TestNode.extension("--hls.target-duration=1s", "--hls.variant=mpegts",
      "--hls.keys=*", "--hls.fragments-per-key=2");
  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void hlsJsPlaysAnEncryptedStreamAcrossKeyChanges() throws Exception {
    processes.own(Clients.publishLooping("encrypted-browser", TestMedia.audioVideo(8, 1), NODE.rtmpUrl("sealed")));
    NODE.awaitPublisher("sealed");
    String url = NODE.httpUrl("/hls/sealed.m3u8");
    Await.until("the encrypted playlist", Duration.ofSeconds(20),
        () -> Http.get(url).body().contains("#EXT-X-KEY:METHOD=AES-128"));
    BrowserPlayback.Result result = BrowserPlayback.play("hlsjs-encrypted", BrowserPlayback.HLS, url, 8,
        Duration.ofSeconds(45), List.of());
    assertThat(result.ok()).as(result.describe()).isTrue();
    assertThat(result.fatalErrors()).as(result.describe()).isEmpty();
    // 8 s at 25 fps, with keys changing every 2 s of segments: three or four keys in the play.
    assertThat(result.decodedFrames()).as(result.describe()).isGreaterThan(150);
    assertThat(result.errors()).as("key loading and decryption errors, fatal or not")
        .noneMatch(e -> e.contains("keyLoad") || e.contains("Decrypt"));
  }
}
