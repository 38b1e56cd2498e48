package dev.streamedge.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.Background;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.LogLines;
import dev.streamedge.testing.Prometheus;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A transcoder's life: it stops within 2 s of its source's unpublish; killed, it comes back with the
 * backoff and an HLS viewer of a rendition keeps getting its playlist, with a discontinuity; past
 * {@code transcode.max-processes} a stream plays its source only; and nobody but the transcoder may
 * publish a rendition's name.
 */
@Tag("e2e")
@Tag("timing")
class TranscoderLifecycleTest {

  private static final Pattern SEQUENCE = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)");

  @RegisterExtension
  final TestNode node = TestNode.extension("--transcode.apps=live", "--transcode.ladder=120p=160x120@150k",
      "--transcode.ffmpeg=" + Ffmpeg.DEBIAN_FFMPEG, "--transcode.max-processes=1", "--transcode.restart-min=500ms");

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void unpublishStopsTheTranscoderWithinTwoSeconds() throws Exception {
    Process publisher = processes.own(Clients.publishLooping("tl-unpublish", TestMedia.oddGop(16), node.rtmpUrl("un")));
    long pid = awaitRunning("un", 0);
    awaitLive("un_120p");
    long stopped = System.nanoTime();
    ChildProcesses.stop(publisher);
    Optional<ProcessHandle> ffmpeg = ProcessHandle.of(pid);
    if (ffmpeg.isPresent()) {
      assertThat(ffmpeg.get().onExit().get(5, TimeUnit.SECONDS).isAlive()).isFalse();
    }
    double seconds = (System.nanoTime() - stopped) / 1e9;
    System.out.printf("ffmpeg %d gone %.3f s after the publisher was stopped%n", pid, seconds);
    assertThat(seconds).isLessThan(2.0);
    Await.until("no transcoder in the API", Duration.ofSeconds(2), () -> transcoders().isEmpty());
  }

  @Test
  void aKilledTranscoderComesBackAndItsHlsViewersKeepPlaying() throws Exception {
    processes.own(Clients.publishLooping("tl-kill", TestMedia.oddGop(16), node.rtmpUrl("kb")));
    long pid = awaitRunning("kb", 0);
    awaitLive("kb_120p");
    String playlist = "http://127.0.0.1:" + node.httpPort() + "/hls/kb_120p.m3u8";
    List<String> seen = new CopyOnWriteArrayList<>();
    try (Background viewer = Background.start("tl-hls-viewer", self -> {
      while (self.running()) {
        HttpResponse<String> r = Http.get(playlist);
        assertThat(r.statusCode()).as("the rendition's playlist, polled as a player does").isEqualTo(200);
        seen.add(r.body());
        // A player reloads about every target duration; half a second keeps up with any segment.
        Thread.sleep(500);
      }
    })) {
      Await.until("the viewer's first playlist", Duration.ofSeconds(10), () -> !seen.isEmpty());
      long before = lastSequence(seen);
      ProcessHandle.of(pid).orElseThrow().destroyForcibly();
      long again = awaitRunning("kb", 1);
      assertThat(again).isNotEqualTo(pid);
      Await.until("a new segment of the rendition after the restart", Duration.ofSeconds(15),
          () -> lastSequence(seen) > before + 2 && seen.get(seen.size() - 1).contains("#EXT-X-DISCONTINUITY"));
      viewer.finish();
    }
    JsonObject state = transcoders().getJsonObject(0);
    assertThat(state.getString("lastExit")).contains("137");
    assertThat(Prometheus.scrape(metricsUrl()).value("streamedge_transcode_restarts_total")).isEqualTo(1.0);
  }

  @Test
  void pastMaxProcessesAStreamPlaysItsSourceOnly() throws Exception {
    processes.own(Clients.publishLooping("tl-max-1", TestMedia.oddGop(16), node.rtmpUrl("one")));
    awaitRunning("one", 0);
    try (LogLines logs = LogLines.capture()) {
      processes.own(Clients.publishLooping("tl-max-2", TestMedia.oddGop(16), node.rtmpUrl("two")));
      logs.await("transcode live/two: not transcoded, transcode.max-processes \\(1\\)", Duration.ofSeconds(10));
    }
    Prometheus metrics = Prometheus.scrape(metricsUrl());
    assertThat(metrics.value("streamedge_transcode_refused_total")).isEqualTo(1.0);
    assertThat(metrics.value("streamedge_transcode_processes")).isEqualTo(1.0);
    assertThat(transcoders()).hasSize(1);
    // Its seed URL serves its media playlist, as for any stream without a ladder.
    Await.until("two's media playlist", Duration.ofSeconds(15), () -> Http.get(
        "http://127.0.0.1:" + node.httpPort() + "/hls/two.m3u8").body().contains("#EXTINF:"));
  }

  @Test
  void nobodyButTheTranscoderPublishesARenditionName() throws Exception {
    processes.own(Clients.publishLooping("tl-names", TestMedia.oddGop(16), node.rtmpUrl("nm")));
    long pid = awaitRunning("nm", 0);
    awaitLive("nm_120p");
    // The running ffmpeg's own token, as anyone on the machine can read it: used once, it admits no one else.
    String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
    Matcher stolen = Pattern.compile("nm_120p\\?transcoder=[0-9a-f]{32}").matcher(cmdline);
    assertThat(stolen.find()).as(cmdline).isTrue();
    try (LogLines logs = LogLines.capture()) {
      for (String name : List.of(stolen.group(), "nm_120p?transcoder=0123456789abcdef0123456789abcdef", "nm_120p",
          "idle_120p")) {
        Process intruder = Clients.publish("tl-intruder", TestMedia.oddGop(16), node.rtmpUrl(name));
        assertThat(intruder.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(intruder.exitValue()).as(name).isNotZero();
      }
      assertThat(logs.count("reason=auth: the name of a rendition of live/(nm|idle), which only its transcoder"))
          .isEqualTo(4);
    }
    assertThat(transcoders().getJsonObject(0).getLong("restarts")).isZero();
  }

  /** Waits for {@code key}'s transcoder to run with {@code restarts} restarts; its ffmpeg's pid. */
  private long awaitRunning(String key, long restarts) throws Exception {
    long[] pid = {-1};
    Await.until(key + "'s transcoder running after " + restarts + " restarts", Duration.ofSeconds(20), () -> {
      for (Object o : transcoders()) {
        JsonObject t = (JsonObject) o;
        if (t.getJsonObject("stream").getString("key").equals(key) && t.getString("state").equals("running")
            && t.getLong("restarts") == restarts && t.getLong("pid") != null) {
          pid[0] = t.getLong("pid");
          return true;
        }
      }
      Thread.sleep(100);
      return false;
    });
    return pid[0];
  }

  private void awaitLive(String key) throws Exception {
    Await.until(key + " live", Duration.ofSeconds(20), () -> node.node().registry().isLive(
        new dev.streamedge.stream.StreamKey("live", key)));
  }

  private JsonArray transcoders() throws Exception {
    return new JsonObject(Http.get("http://127.0.0.1:" + node.httpPort() + "/api/v1/transcoders").body())
        .getJsonArray("transcoders");
  }

  private String metricsUrl() {
    return "http://127.0.0.1:" + node.httpPort() + "/metrics";
  }

  private static long lastSequence(List<String> playlists) {
    String last = playlists.get(playlists.size() - 1);
    Matcher m = SEQUENCE.matcher(last);
    long segments = last.lines().filter(line -> line.startsWith("#EXTINF")).count();
    return m.find() ? Long.parseLong(m.group(1)) + segments : -1;
  }
}
