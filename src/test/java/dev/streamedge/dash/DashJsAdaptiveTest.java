package dev.streamedge.dash;

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
 * dash.js in headless Chromium plays the MPD of a 2.5 Mbit/s source with renditions at 800 and 300 kbit/s,
 * sees the three levels, and with the page's network throttled to 1 Mbit/s (DevTools protocol) its ABR
 * switches down, and when the throttle is lifted, back up.
 */
@Tag("browser")
@Tag("solo")
class DashJsAdaptiveTest {

  /** One node (and transcoder start-up) for both tests: each publishes its own stream. */
  @RegisterExtension
  static final TestNode node = TestNode.extension("--transcode.apps=live",
      "--transcode.ladder=360p=640x360@800k,180p=320x180@300k", "--transcode.ffmpeg=" + Ffmpeg.DEBIAN_FFMPEG,
      "--hls.target-duration=1s");

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void dashJsSwitchesDownUnderAThrottledNetworkAndBackUpAfter() throws Exception {
    processes.own(Clients.publishLooping("dash-abr-publisher", TestMedia.twoAndAHalfMegabit(20),
        node.rtmpUrl("abr")));
    String mpd = node.httpUrl("/dash/abr.mpd");
    awaitThreeLevels(mpd);
    // Full speed for 8 s of play, 600 kbit/s for 14, then full speed again until 4 s after dash.js switched back
    // up (at most 38 s): dash.js 5.2 was back on 360p 2.8 to 6.5 s after the lift, 10 to 26 s of play after it
    // once it had drained its buffer under 600 kbit/s. At 1 Mbit/s 360p (800k video,
    // 64k audio) fitted under the throttle as often as not, and then dash.js stayed on it after the lift, or
    // "switched up" to the same rung (CI26, CI28): 600 kbit/s leaves only 180p.
    BrowserPlayback.Result result = BrowserPlayback.play("dash-abr-throttle", BrowserPlayback.DASH, mpd, 60,
        Duration.ofSeconds(100), List.of("--throttle-kbps", "600", "--throttle-at", "8", "--throttle-for", "14",
            "--recovered-for", "4"));
    System.out.println(result.describe());
    assertThat(result.ok()).as(result.describe()).isTrue();
    JsonObject json = new JsonObject(result.json());
    JsonArray levels = json.getJsonArray("levels");
    assertThat(levels.stream().map(l -> ((JsonObject) l).getInteger("height")).toList()).as(result.describe())
        .containsExactlyInAnyOrder(180, 360, 360);
    List<JsonObject> switches = json.getJsonArray("switches").stream().map(JsonObject.class::cast).toList();
    long before = lastIn(switches, "normal");
    long throttled = lastIn(switches, "throttled");
    long after = lastIn(switches, "lifted");
    assertThat(throttled).as("the bitrate under the throttle, against the one before: " + switches)
        .isLessThan(before).isLessThan(1_000_000);
    assertThat(after).as("the bitrate after the throttle: " + switches).isGreaterThan(throttled);
  }

  /**
   * The viewer's own pick, with dash.js's ABR off (no estimate involved, so not at the mercy of its timing): down
   * to the lowest level and back up to the source, each at the next segment, without a stall. Each level is a
   * stream of its own with its own init segment, on the source's timeline.
   */
  @Test
  void dashJsSwitchesToTheLevelAViewerPicksWithoutAStall() throws Exception {
    processes.own(Clients.publishLooping("dash-forced-publisher", TestMedia.twoAndAHalfMegabit(20),
        node.rtmpUrl("forced")));
    String mpd = node.httpUrl("/dash/forced.mpd");
    awaitThreeLevels(mpd);
    BrowserPlayback.Result result = BrowserPlayback.play("dash-abr-forced", BrowserPlayback.DASH, mpd, 22,
        Duration.ofSeconds(60), List.of("--levels-at", "6:min,14:max"));
    System.out.println(result.describe());
    assertThat(result.ok()).as(result.describe()).isTrue();
    JsonObject json = new JsonObject(result.json());
    List<Long> bitrates = json.getJsonArray("levels").stream().map(l -> ((JsonObject) l).getLong("bitrate"))
        .sorted().toList();
    assertThat(bitrates).hasSize(3);
    List<JsonObject> switches = json.getJsonArray("switches").stream().map(JsonObject.class::cast).toList();
    assertThat(heightIn(switches, "forced-min")).as("after asking for the lowest: " + switches).isEqualTo(180);
    assertThat(lastLevelIn(switches, "forced-max")).as("after asking for the highest: " + switches).isEqualTo("video");
    // No stall once the viewer picks: a wait under two frames (80 ms) is not one.
    List<String> waits = json.getJsonArray("waits").stream().map(String.class::cast)
        .filter(w -> !w.startsWith("normal@")).filter(w -> Long.parseLong(w.substring(w.indexOf('@') + 1)) >= 80)
        .toList();
    assertThat(waits).as("stalls from the first pick on: " + json.getJsonArray("events")).isEmpty();
  }

  private static void awaitThreeLevels(String mpd) throws Exception {
    Await.until("an MPD of three levels with three segments", Duration.ofSeconds(40), () -> {
      Thread.sleep(200); // the node is busy starting the transcoder
      String text = Http.get(mpd).body();
      return text.split("<Representation ", -1).length - 1 == 4 && text.split("<S ", -1).length - 1 >= 4;
    });
    Thread.sleep(3000); // three more segments of each level, for the delay dash.js starts at
  }

  private static int heightIn(List<JsonObject> switches, String phase) {
    return last(switches, phase).getInteger("height");
  }

  private static String lastLevelIn(List<JsonObject> switches, String phase) {
    return last(switches, phase).getString("level");
  }

  private static JsonObject last(List<JsonObject> switches, String phase) {
    return switches.stream().filter(s -> s.getString("phase").equals(phase)).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no level switch " + phase + ": " + switches));
  }

  /** The bitrate of the last level switched to in {@code phase}. */
  private static long lastIn(List<JsonObject> switches, String phase) {
    return last(switches, phase).getLong("bitrate");
  }
}
