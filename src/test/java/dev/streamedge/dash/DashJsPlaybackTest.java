package dev.streamedge.dash;

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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * dash.js 5 in real headless Chromium plays the MPD at nginx-rtmp's URL from a page on another origin:
 * video and audio, at a steady live latency; AV1 and Opus from Enhanced RTMP; and plays on when the publisher leaves and comes back (OBS
 * after a network cut), into the MPD's second Period.
 */
@Tag("browser")
class DashJsPlaybackTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void dashJsPlaysVideoAndAudioAtASteadyLatency() throws Exception {
    try (TestNode node = TestNode.start()) {
      processes.own(Clients.publishLooping("dashjs-publisher", TestMedia.audioVideo(20, 1), node.rtmpUrl("dashjs")));
      node.awaitPublisher("dashjs");
      String url = node.httpUrl("/dash/dashjs.mpd");
      // A stream that runs: three segments before the viewer comes, as the MPD's delay asks (a viewer of a stream
      // that has just started plays at its edge and waits for each segment).
      Await.until("an MPD with three segments", Duration.ofSeconds(20),
          () -> segments(Http.get(url).body()) >= 3);
      BrowserPlayback.Result result = BrowserPlayback.play("dashjs-live", BrowserPlayback.DASH, url, 10,
          Duration.ofSeconds(50));
      assertThat(result.ok()).as(result.describe()).isTrue();
      assertThat(result.fatalErrors()).as(result.describe()).isEmpty();
      assertThat(result.decodedFrames()).as(result.describe()).isGreaterThan(200);
      assertThat(result.videoWidth()).isEqualTo(640);
      JsonNode json = JSON.readTree(result.json());
      assertThat(json.path("audioDecodedBytes").asLong()).as("audio decoded: " + result.describe()).isGreaterThan(0);
      List<Double> latency = new ArrayList<>();
      json.path("dash").path("latencySeconds").forEach(n -> latency.add(n.asDouble()));
      assertThat(latency).as(result.describe()).hasSizeGreaterThan(10);
      // No stall once playing: each segment is there before it is due.
      List<String> events = new ArrayList<>();
      json.path("events").forEach(n -> events.add(n.asText()));
      int playing = events.indexOf(events.stream().filter(e -> e.startsWith("playing@")).findFirst().orElse(""));
      assertThat(playing).as(result.describe()).isGreaterThanOrEqualTo(0);
      assertThat(events.subList(playing, events.size())).as("stalls: " + result.describe())
          .noneMatch(e -> e.startsWith("waiting@"));
      // Once started, it stays where it started: the second half of the samples within a second.
      List<Double> late = new ArrayList<>(latency.subList(latency.size() / 2, latency.size()));
      Collections.sort(late);
      assertThat(late.get(late.size() - 1) - late.get(0)).as("latency drift, s: " + result.describe()).isLessThan(1.0);
      // The MPD's suggestedPresentationDelay is three 2 s segments; a segment is listed once finished.
      assertThat(late.get(late.size() / 2)).as("median live latency, s: " + result.describe()).isBetween(2.0, 10.0);
    }
  }

  @Test
  void dashJsPlaysAv1AndOpusPublishedOverEnhancedRtmp() throws Exception {
    try (TestNode node = TestNode.start()) {
      // ffmpeg 8 publishes AV1 and Opus with Enhanced RTMP's FourCC headers; the MPD's codecs must be ones
      // Chromium's MediaSource takes (av01.P.LLT.DD, opus), or dash.js plays nothing.
      processes.own(Clients.publishLooping("dashjs-av1-publisher", TestMedia.enhanced("av1", "opus", 10),
          node.rtmpUrl("dashav1")));
      node.awaitPublisher("dashav1");
      String url = node.httpUrl("/dash/dashav1.mpd");
      Await.until("an MPD with three segments", Duration.ofSeconds(30), () -> segments(Http.get(url).body()) >= 3);
      assertThat(Http.get(url).body()).contains("codecs=\"av01.0.", "codecs=\"opus\"");
      BrowserPlayback.Result result = BrowserPlayback.play("dashjs-av1-opus", BrowserPlayback.DASH, url, 6,
          Duration.ofSeconds(45));
      assertThat(result.ok()).as(result.describe()).isTrue();
      assertThat(result.decodedFrames()).as(result.describe()).isGreaterThan(120);
      assertThat(JSON.readTree(result.json()).path("audioDecodedBytes").asLong()).as(result.describe()).isGreaterThan(0);
    }
  }

  /** How many segments the MPD's SegmentTimelines list for its first track. */
  private static int segments(String mpd) {
    int end = mpd.indexOf("</SegmentTimeline>");
    if (end < 0) {
      return 0;
    }
    int count = 0;
    for (String entry : mpd.substring(0, end).split("<S ", -1)) {
      count += entry.contains(" r=\"") ? 1 + Integer.parseInt(entry.replaceAll("(?s).* r=\"([0-9]+)\".*", "$1")) : 1;
    }
    return count - 1;
  }

  @Test
  void dashJsPlaysOnThroughAPublisherReconnectIntoTheNextPeriod() throws Exception {
    try (TestNode node = TestNode.start()) {
      Path media = TestMedia.audioVideo(20, 1);
      Process first = processes.own(Clients.publishLooping("dashjs-first", media, node.rtmpUrl("dashblip")));
      node.awaitPublisher("dashblip");
      String url = node.httpUrl("/dash/dashblip.mpd");
      Await.until("an MPD with two segments", Duration.ofSeconds(20),
          () -> segments(Http.get(url).body()) >= 2);
      CompletableFuture<BrowserPlayback.Result> viewer = CompletableFuture.supplyAsync(() -> BrowserPlayback.play(
          "dashjs-publisher-reconnect", BrowserPlayback.DASH, url, 20, Duration.ofSeconds(90)));
      // Some seconds of playback (Chromium's start included), then the cut: the publisher leaves, and comes back
      // a second later, as OBS does after a network cut.
      Thread.sleep(8000);
      ChildProcesses.stop(first);
      Thread.sleep(1000);
      processes.own(Clients.publishLooping("dashjs-second", media, node.rtmpUrl("dashblip")));
      Await.until("a second Period", Duration.ofSeconds(20),
          () -> Http.get(url).body().split("<Period ", -1).length - 1 == 2);
      BrowserPlayback.Result result = viewer.get(120, TimeUnit.SECONDS);
      assertThat(result.ok()).as("played 20 s across the reconnect: %s", result.describe()).isTrue();
      assertThat(result.fatalErrors()).as(result.describe()).isEmpty();
      // It played into the second Period: a wait at the cut (the publisher's own gap), then playing again.
      List<String> events = new ArrayList<>();
      JSON.readTree(result.json()).path("events").forEach(n -> events.add(n.asText()));
      int firstPlaying = events.indexOf(events.stream().filter(e -> e.startsWith("playing@")).findFirst().orElse(""));
      assertThat(events.subList(firstPlaying + 1, events.size())).as("a wait and playing on: " + result.describe())
          .anyMatch(e -> e.startsWith("waiting@")).anyMatch(e -> e.startsWith("playing@"));
    }
  }
}
