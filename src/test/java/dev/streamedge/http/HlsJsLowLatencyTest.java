package dev.streamedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.BrowserPlayback;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * hls.js 1.7.4 with {@code lowLatencyMode} in headless Chromium plays the seed URL (LL-HLS by default)
 * for 20 s of H.264/AAC at 30 fps (OBS's default) with a 2 s GOP and 200 ms parts, ten a segment (and AV1/Opus
 * from Enhanced RTMP): no stall once playing, and its playlist requests are blocking reloads ({@code _HLS_msn},
 * {@code _HLS_part}). It also measures how far behind
 * live it plays: the wall clock minus {@code hls.playingDate} (the EXT-X-PROGRAM-DATE-TIME of the frame
 * on screen, which the server stamps when the frame arrives from the publisher on this machine), written
 * to {@code target/hls-ll-latency-<name>.txt}.
 */
@Tag("browser")
@Tag("solo")
class HlsJsLowLatencyTest {

  /** One node and one publisher for the class: each play is a new viewer of the same live stream. */
  @RegisterExtension
  static final TestNode node = TestNode.extension();
  @RegisterExtension
  static final ChildProcesses processes = new ChildProcesses();

  @BeforeAll
  static void publish() throws Exception {
    processes.own(Clients.publishLooping("ll-browser-publisher", TestMedia.audioVideo(30, 20, 2), node.rtmpUrl("llbrowser")));
    node.awaitPublisher("llbrowser");
    String url = node.httpUrl("/hls/llbrowser.m3u8");
    Await.until("the LL-HLS playlist", Duration.ofSeconds(15), () -> Http.status(url) == 200);
  }

  @Test
  void hlsJsInLowLatencyModePlaysTwentySecondsWithoutAStallUsingBlockingReloads() throws Exception {
    play("default", List.of(), 20, 0, 3000);
  }

  /**
   * The hls.js settings docs/playback.md recommends for LL-HLS: its target at PART-HOLD-BACK (0.6 s), and
   * a jump back to it when more than 1 s behind; catching up alone stops with a second of buffer. (hls.js
   * starts at an independent part, a keyframe every 2 s here, before its target and by default never plays
   * faster to catch up: {@code maxLiveSyncPlaybackRate} makes it; a play with that setting alone was dropped for
   * the suite's time, as this one covers it with a tighter bound.)
   * The bound is loose (1.5 s, the issue's p99 target) so that a loaded machine does not fail it, and 1 s
   * more for each stall hls.js saw (see {@link #play}); the measured figures go to the file.
   */
  @Test
  void hlsJsHeldAtPartHoldBackPlaysWithinASecondOfLive() throws Exception {
    // Its jump back (a seek within what it holds) is a 'waiting' of 10 to 30 ms, 5 to 6 s into playback
    // here, 13.7 s in once in CI; too short to see, so not a stall. The latency is measured after 10 s.
    // With hls.js's own log (debug) in target/browser-logs/hlsjs-low-latency-near-live.log: twice in CI this
    // play stalled for 1 s at its start, hls.js skipping a segment's last part, and why it chose so is unknown.
    play("near-live", List.of("--hls-config", NEAR_LIVE.replace("}", ",\"debug\":true}")), 20, 10, 1500);
  }

  /** hls.js settings: target PART-HOLD-BACK, catch up at 1.5x, jump back when 1 s behind. */
  static final String NEAR_LIVE =
      "{\"maxLiveSyncPlaybackRate\":1.5,\"liveSyncDuration\":0.6,\"liveMaxLatencyDuration\":1.0}";

  @Test
  void hlsJsInLowLatencyModePlaysAv1AndOpusFromEnhancedRtmp() throws Exception {
    // Published by ffmpeg 8 over Enhanced RTMP; Chromium's MSE plays av01 and Opus in MP4.
    Process publisher = processes.own(Clients.publishLooping("ll-browser-av1-publisher",
        TestMedia.enhanced("av1", "opus", 10), node.rtmpUrl("llav1")));
    node.awaitPublisher("llav1");
    String url = node.httpUrl("/hls/live/llav1/ll.m3u8");
    Await.until("the LL-HLS playlist", Duration.ofSeconds(20), () -> Http.status(url) == 200);
    assertThat(Http.get(url).body()).contains("#EXT-X-PART:");
    BrowserPlayback.Result result = BrowserPlayback.play("hlsjs-low-latency-av1", BrowserPlayback.HLS, url, 8,
        Duration.ofSeconds(45), List.of("--low-latency", "true"));
    ChildProcesses.stop(publisher); // the other plays have the node's CPU to themselves
    assertThat(result.ok()).as(result.describe()).isTrue();
    assertThat(result.decodedFrames()).as(result.describe()).isGreaterThan(150);
    assertThat(result.fatalErrors()).isEmpty();
    JsonNode ll = new ObjectMapper().readTree(result.json()).path("ll");
    assertThat(ll.path("withPart").asInt()).as(result.describe()).isGreaterThan(10);
  }

  /**
   * The waits (a 'waiting' up to the next 'playing') that began more than {@code settleSeconds} of media
   * time after the first 'playing' and lasted two frames (80 ms) or more, or never ended. A shorter wait
   * is not seen: hls.js's jump back to its target latency is a seek within its buffer of 10 to 30 ms.
   */
  private static List<String> stalls(JsonNode events, JsonNode waits, int settleSeconds) {
    List<String> stalls = new ArrayList<>();
    double playing = -1;
    double waitingAt = -1;
    int episode = 0;
    for (JsonNode event : events) {
      String[] e = event.asText().split("@");
      double at = Double.parseDouble(e[1]);
      if (e[0].equals("waiting") && waitingAt < 0) {
        waitingAt = at;
      } else if (e[0].equals("playing")) {
        if (waitingAt >= 0) {
          long millis = episode < waits.size() ? Long.parseLong(waits.get(episode).asText().split("@")[1]) : -1;
          episode++;
          if (playing >= 0 && waitingAt > playing + settleSeconds && (millis < 0 || millis >= 80)) {
            stalls.add("waiting@" + waitingAt + " for " + millis + " ms");
          }
        }
        waitingAt = -1;
        if (playing < 0) {
          playing = at;
        }
      }
    }
    if (playing >= 0 && waitingAt > playing + settleSeconds) {
      stalls.add("waiting@" + waitingAt + " until the end");
    }
    return stalls;
  }

  /**
   * Plays {@code seconds} of the class's LL-HLS stream in hls.js, 10 s past the start-up: the suite's time is
   * counted.
   */
  private static void play(String name, List<String> extra, int seconds, int settleSeconds, long maxP50Millis)
      throws Exception {
    String url = node.httpUrl("/hls/llbrowser.m3u8");
    List<String> args = new ArrayList<>(List.of("--low-latency", "true"));
    args.addAll(extra);
    BrowserPlayback.Result result = BrowserPlayback.play("hlsjs-low-latency-" + name, BrowserPlayback.HLS, url,
        seconds, Duration.ofSeconds(seconds + 40), args);
    assertThat(result.ok()).as(result.describe()).isTrue();
    assertThat(result.fatalErrors()).as(result.describe()).isEmpty();
    JsonNode json = new ObjectMapper().readTree(result.json());
    JsonNode ll = json.path("ll");
    assertThat(stalls(json.path("events"), json.path("waits"), settleSeconds))
        .as("'waiting' more than %d s after playback started: %s", settleSeconds, result.describe()).isEmpty();
    int requests = ll.path("playlistRequests").asInt();
    assertThat(requests).as("playlist requests in " + seconds + " s").isGreaterThan(seconds);
    // After the first (plain) load, hls.js asks for the next part with a blocking reload.
    assertThat(ll.path("withMsn").asInt()).as("requests with _HLS_msn of " + requests).isGreaterThan(requests * 8 / 10);
    assertThat(ll.path("withPart").asInt()).as("requests with _HLS_part of " + requests).isGreaterThan(requests / 2);

    List<Long> latencies = new ArrayList<>();
    ll.path("latencyMs").forEach(n -> latencies.add(n.asLong()));
    // Every 250 ms of playback.
    assertThat(latencies).as("latency samples").hasSizeGreaterThan(seconds * 5 / 3);
    // The first 10 s are the start-up (and the catching up); measure after that.
    List<Long> settled = latencies.subList(latencies.size() * 10 / seconds, latencies.size()).stream().sorted()
        .toList();
    long p50 = settled.get(settled.size() / 2);
    long p99 = settled.get(Math.min(settled.size() - 1, (int) Math.ceil(settled.size() * 0.99) - 1));
    String line = "hls.js 1.7.4 lowLatencyMode " + name + " " + extra + ", 30 fps, 200 ms parts, 2 s GOP: samples="
        + settled.size() + " p50_ms=" + p50 + " p99_ms=" + p99 + " max_ms=" + settled.get(settled.size() - 1) + "\n";
    Files.writeString(Path.of("target", "hls-ll-latency-" + name + ".txt"), line);
    System.out.print(line);
    // A loose bound, so that a loaded machine does not fail it; the figures are in the file above. hls.js adds
    // liveSyncOnStallIncrease (1 s) to its target latency for each stall, up to the target duration (2 s here),
    // for the rest of the play (its latency controller): a stall in the start-up, which the test allows (once
    // in CI: a 1 s wait 0.4 s into playback), moves where it holds, and the bound moves with it.
    long stalls = result.errors().stream().filter(e -> e.contains("bufferStalledError")).count();
    long bound = maxP50Millis + Math.min(stalls, 2) * 1000;
    assertThat(p50).as("p50 ms behind live, playingDate against the wall clock, after %d stalls: %s", stalls,
        result.describe()).isLessThan(bound);
  }
}
