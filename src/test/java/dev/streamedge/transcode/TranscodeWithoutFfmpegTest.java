package dev.streamedge.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.LogLines;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A missing ffmpeg is a clear error at start, and the apps that asked for a ladder play their source. */
@Tag("e2e")
class TranscodeWithoutFfmpegTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void aMissingFfmpegIsAnErrorAtStartAndTheSourceStillPlays() throws Exception {
    try (LogLines logs = LogLines.capture();
        TestNode node = TestNode.start("--transcode.apps=live", "--transcode.ladder=120p=160x120@150k",
            "--transcode.ffmpeg=streamedge-no-such-ffmpeg")) {
      assertThat(logs.contains("transcode: the ffmpeg executable \"streamedge-no-such-ffmpeg\" \\(transcode.ffmpeg\\)"
          + " is not on the PATH; apps live play their source only")).isTrue();
      processes.own(Clients.publishLooping("no-ffmpeg-publisher", TestMedia.oddGop(16), node.rtmpUrl("src")));
      String seed = "http://127.0.0.1:" + node.httpPort() + "/hls/src.m3u8";
      Await.until("the source's media playlist at the seed URL", Duration.ofSeconds(20),
          () -> Http.get(seed).body().contains("#EXTINF:"));
      assertThat(Http.get(seed).body()).doesNotContain("EXT-X-STREAM-INF");
      assertThat(new JsonObject(Http.get("http://127.0.0.1:" + node.httpPort() + "/api/v1/transcoders").body())
          .getJsonArray("transcoders")).isEmpty();
    }
  }
}
