package dev.streamedge.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.BrowserPlayback;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * hls.js in headless Chromium plays the master playlist of a 2.5 Mbit/s 640x360 source with renditions at
 * 800 and 300 kbit/s: it lists the three levels; with the page's network throttled to 1 Mbit/s through
 * the DevTools protocol it switches down without a stall, and when the throttle is lifted, back up.
 */
@Tag("browser")
class AdaptivePlaybackTest {

  @RegisterExtension
  final TestNode node = TestNode.extension("--transcode.apps=live",
      "--transcode.ladder=360p=640x360@800k,180p=320x180@300k", "--transcode.ffmpeg=" + Ffmpeg.DEBIAN_FFMPEG,
      "--hls.target-duration=1s");

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void hlsJsSwitchesDownUnderAThrottledNetworkWithoutAStallAndBackUpAfter() throws Exception {
    processes.own(Clients.publishLooping("abr-browser-publisher", TestMedia.twoAndAHalfMegabit(20),
        node.rtmpUrl("br")));
    String master = node.httpUrl("/hls/br.m3u8");
    Await.until("a master playlist of three measured variants", Duration.ofSeconds(20), () -> {
      Thread.sleep(200);
      return Http.get(master).body().split("AVERAGE-BANDWIDTH", -1).length == 4;
    });
    // Full speed for 8 s of play, 1 Mbit/s for 14, then full speed again; hls.js's estimate needs a few
    // segments (1 s each here) to move each way.
    BrowserPlayback.Result result = BrowserPlayback.play("abr-throttle", BrowserPlayback.HLS, master, 40,
        Duration.ofSeconds(90), List.of("--throttle-kbps", "1000", "--throttle-at", "8", "--throttle-for", "14"));
    System.out.println(result.describe());
    assertThat(result.ok()).as(result.describe()).isTrue();
    JsonObject json = new JsonObject(result.json());
    JsonArray levels = json.getJsonArray("levels");
    assertThat(levels.stream().map(l -> ((JsonObject) l).getInteger("height")).toList())
        .containsExactlyInAnyOrder(180, 360, 360);
    List<JsonObject> switches = json.getJsonArray("switches").stream().map(JsonObject.class::cast).toList();
    long before = bitrate(levels, lastIn(switches, "normal"));
    long throttled = bitrate(levels, lastIn(switches, "throttled"));
    long after = bitrate(levels, lastIn(switches, "lifted"));
    assertThat(throttled).as("the level under the throttle, against the one before: " + switches).isLessThan(before)
        .isLessThan(1_000_000);
    assertThat(after).as("the level after the throttle: " + switches).isGreaterThan(throttled);
    List<String> stalls = json.getJsonArray("events").stream().map(String.class::cast)
        .filter(e -> e.startsWith("waiting@") && !e.endsWith("@normal")).toList();
    assertThat(stalls).as("waiting events from the throttle on").isEmpty();
  }

  private static int lastIn(List<JsonObject> switches, String phase) {
    return switches.stream().filter(s -> s.getString("phase").equals(phase)).reduce((a, b) -> b)
        .map(s -> s.getInteger("level")).orElseThrow(() -> new AssertionError("no level switch " + phase + ": " + switches));
  }

  private static long bitrate(JsonArray levels, int level) {
    return levels.getJsonObject(level).getLong("bitrate");
  }
}
