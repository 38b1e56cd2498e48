package dev.streamedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.LlPlaylist;
import dev.streamedge.testing.Mp4Check;
import dev.streamedge.testing.Mp4Check.TrackFragment;
import dev.streamedge.testing.PlaylistChecker;
import dev.streamedge.testing.Prometheus;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import dev.streamedge.testing.Vlc;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * LL-HLS (RFC 8216bis) at /hls/&lt;app&gt;/&lt;key&gt;/ll.m3u8, driven as a player drives it: blocking
 * playlist reloads for the next part, the preload-hinted part fetched before it exists, delta updates;
 * every playlist passes the strict checker; ffprobe reads init + each part and ffmpeg decodes init +
 * each segment; a segment is its parts concatenated with a continuous tfdt; bad queries get 400 and
 * disturb nothing; a stalled stream answers 503; parked requests are bounded; ffmpeg 8, ffmpeg 5.1 and
 * VLC play the seed URLs, which serve LL-HLS by default.
 */
@Tag("e2e")
@Tag("timing")
class LowLatencyHlsTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void blockingReloadsPartsAndDeltaUpdatesFollowRfc8216bis() throws Exception {
    PlaylistChecker checker = new PlaylistChecker("ll");
    try (TestNode node = TestNode.start("--hls.playlist-length=8")) {
      // 30 fps, OBS's default: 200 ms is six frames, and the parts' 85% floor leaves no room for five.
      Process publisher = processes.own(Clients.publish("ll-publisher", TestMedia.audioVideo(30, 40, 1),
          node.rtmpUrl("ll")));
      node.awaitPublisher("ll");
      String base = node.httpUrl("/hls/live/ll/");
      Await.until("an LL-HLS playlist", Duration.ofSeconds(15), () -> Http.status(base + "ll.m3u8") == 200);
      HttpResponse<String> plain = Http.get(base + "ll.m3u8");
      assertThat(plain.headers().firstValue("Cache-Control")).hasValue("no-cache");
      // The configured 200 ms fitted to whole frames, and 1 ms for the timestamps' rounding.
      assertThat(plain.body()).contains("#EXT-X-VERSION:9\n", "#EXT-X-PART-INF:PART-TARGET=0.201\n",
          "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=12.000,PART-HOLD-BACK=0.603\n");
      checker.add("plain", plain.body());
      LlPlaylist playlist = LlPlaylist.parse(plain.body());
      byte[] init = Http.getBytes(base + playlist.map()).body();

      // A player's loop: ask for the next part, blocking; fetch every part listed.
      Map<String, byte[]> parts = new LinkedHashMap<>();
      Map<String, Boolean> independent = new HashMap<>();
      Map<Long, List<String>> partsOfSegment = new HashMap<>();
      Map<Long, String> segmentUris = new HashMap<>();
      List<Long> blockedMillis = new ArrayList<>();
      long until = System.nanoTime() + Duration.ofSeconds(14).toNanos();
      while (System.nanoTime() < until) {
        String query = playlist.nextPartQuery();
        long asked = System.nanoTime();
        HttpResponse<String> answer = Http.get(base + "ll.m3u8?" + query);
        blockedMillis.add((System.nanoTime() - asked) / 1_000_000);
        assertThat(answer.statusCode()).as(query).isEqualTo(200);
        assertThat(answer.headers().firstValue("Cache-Control")).hasValue("public, max-age=60");
        checker.add(query, answer.body());
        LlPlaylist next = LlPlaylist.parse(answer.body());
        // §6.2.5.2: the answer holds the part asked for (or a later segment).
        assertThat(next.openMsn() > playlist.openMsn() || next.openParts().size() > playlist.openParts().size())
            .as("answer to %s:\n%s", query, answer.body()).isTrue();
        playlist = next;
        for (LlPlaylist.Segment segment : playlist.segments()) {
          if (!segment.parts().isEmpty()) {
            partsOfSegment.put(segment.msn(), segment.parts().stream().map(LlPlaylist.Part::uri).toList());
            segmentUris.put(segment.msn(), segment.uri());
          }
          fetchParts(base, segment.parts(), parts, independent);
        }
        fetchParts(base, playlist.openParts(), parts, independent);
      }
      assertThat(parts.size()).as("parts fetched in 14 s").isGreaterThan(50);
      blockedMillis.sort(Long::compare);
      // 200 ms parts: a blocking reload waits about one part, never seconds.
      assertThat(blockedMillis.get(blockedMillis.size() / 2)).as("median blocking reload, ms").isBetween(20L, 400L);
      // A part is servable about one frame (33 ms at 30 fps) after its last frame came: the next one ends it.
      Prometheus metrics = node.scrape();
      double partsReady = metrics.value("streamedge_hls_part_ready_seconds_count");
      double within50 = metrics.value("streamedge_hls_part_ready_seconds_bucket", "le", "0.05");
      // The 99th percentile's bucket: the smallest bound that holds 99% of the parts.
      double p99 = metrics.labelSets("streamedge_hls_part_ready_seconds_bucket").stream()
          .map(l -> l.get("le")).filter(le -> !le.equals("+Inf")).sorted(Comparator.comparing(Double::parseDouble))
          .filter(le -> metrics.value("streamedge_hls_part_ready_seconds_bucket", "le", le) >= 0.99 * partsReady)
          .map(Double::parseDouble).findFirst().orElse(Double.POSITIVE_INFINITY);
      System.out.printf("LL-HLS parts ready: %.0f, p99 within %.0f ms, %.1f%% within 50 ms%n", partsReady, p99 * 1000,
          100 * within50 / partsReady);
      assertThat(partsReady).isGreaterThan(50);
      assertThat(p99).as("p99 seconds from a part's last frame to the part servable").isLessThanOrEqualTo(0.1);

      // The preload hint: asked before the part exists, answered once it does, and then listed.
      String hint = playlist.preloadHint();
      HttpResponse<byte[]> hinted = Http.getBytes(base + hint);
      assertThat(hinted.statusCode()).isEqualTo(200);
      assertThat(hinted.headers().firstValue("Cache-Control")).hasValue("public, max-age=86400, immutable");
      HttpResponse<String> after = Http.get(base + "ll.m3u8?" + playlist.nextPartQuery());
      checker.add("after-hint", after.body());
      assertThat(after.body()).contains("URI=\"" + hint + "\"");

      // Delta updates: older segments replaced by EXT-X-SKIP, the newest still listed.
      for (String skip : List.of("YES", "v2")) {
        HttpResponse<String> delta = Http.get(base + "ll.m3u8?_HLS_skip=" + skip);
        assertThat(delta.statusCode()).isEqualTo(200);
        checker.add("delta-" + skip, delta.body());
        LlPlaylist parsed = LlPlaylist.parse(delta.body());
        assertThat(parsed.skipped()).as(delta.body()).isGreaterThan(0);
        assertThat(parsed.segments().stream().mapToDouble(LlPlaylist.Segment::duration).sum())
            .isGreaterThanOrEqualTo(12.0);
      }

      // Bad queries: 400 at once, and the stream goes on.
      LlPlaylist now = LlPlaylist.parse(Http.get(base + "ll.m3u8").body());
      for (String bad : List.of("_HLS_msn=-1", "_HLS_msn=abc", "_HLS_msn=1e30", "_HLS_part=1",
          "_HLS_msn=" + (now.openMsn() + 2), "_HLS_msn=" + now.openMsn() + "&_HLS_part=100", "_HLS_skip=maybe",
          "_HLS_msn=1&_HLS_part=-1")) {
        long asked = System.nanoTime();
        assertThat(Http.get(base + "ll.m3u8?" + bad).statusCode()).as(bad).isEqualTo(400);
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).as(bad).isLessThan(Duration.ofSeconds(1));
      }
      HttpResponse<String> still = Http.get(base + "ll.m3u8?" + now.nextPartQuery());
      assertThat(still.statusCode()).isEqualTo(200);
      checker.add("after-bad", still.body());
      assertThat(Http.getBytes(base + LlPlaylist.parse(still.body()).preloadHint()).statusCode()).isEqualTo(200);

      // Parts and segments as ffmpeg sees them.
      checkParts("ll", init, parts, independent);
      int compared = 0;
      for (Map.Entry<Long, List<String>> entry : partsOfSegment.entrySet()) {
        if (!entry.getValue().stream().allMatch(parts::containsKey)) {
          continue;
        }
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (String uri : entry.getValue()) {
          joined.write(parts.get(uri));
        }
        HttpResponse<byte[]> segment = Http.getBytes(base + segmentUris.get(entry.getKey()));
        if (segment.statusCode() != 200) {
          continue; // no longer kept
        }
        assertThat(segment.body()).as("segment %d against its parts", entry.getKey()).isEqualTo(joined.toByteArray());
        decodes("ll-segment-" + entry.getKey(), init, segment.body(), true);
        compared++;
      }
      assertThat(compared).as("segments compared with their parts").isGreaterThanOrEqualTo(3);

      // The publisher goes: a request for what will not come is answered 503 after 3 target durations.
      ChildProcesses.stop(publisher);
      Await.until("the publisher gone", Duration.ofSeconds(10), () -> !node.node().registry().isLive(
          new dev.streamedge.stream.StreamKey("live", "ll")));
      Thread.sleep(500);
      LlPlaylist last = LlPlaylist.parse(Http.get(base + "ll.m3u8").body());
      long asked = System.nanoTime();
      HttpResponse<String> stalled = Http.get(base + "ll.m3u8?_HLS_msn=" + (last.openMsn() + 1));
      Duration waited = Duration.ofNanos(System.nanoTime() - asked);
      assertThat(stalled.statusCode()).isEqualTo(503);
      assertThat(waited).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(9));
    }
    checker.assertAllValid();
  }

  @Test
  void parkedRequestsBeyondMaxBlockedRequestsGet503() throws Exception {
    try (TestNode node = TestNode.start("--hls.max-blocked-requests=3")) {
      processes.own(Clients.publish("ll-bound-publisher", TestMedia.audioVideo(20, 1), node.rtmpUrl("bound")));
      node.awaitPublisher("bound");
      String base = node.httpUrl("/hls/live/bound/");
      Await.until("an LL-HLS playlist", Duration.ofSeconds(15), () -> Http.status(base + "ll.m3u8") == 200);
      LlPlaylist playlist = LlPlaylist.parse(Http.get(base + "ll.m3u8").body());
      String ahead = base + "ll.m3u8?_HLS_msn=" + (playlist.openMsn() + 1);
      List<CompletableFuture<HttpResponse<String>>> parked = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        parked.add(Http.sendAsync(Http.request(ahead + "&n=" + i), HttpResponse.BodyHandlers.ofString()));
      }
      Thread.sleep(300);
      assertThat(parked).noneMatch(CompletableFuture::isDone);
      assertThat(Http.get(ahead + "&n=3").statusCode()).isEqualTo(503);
      for (CompletableFuture<HttpResponse<String>> request : parked) {
        assertThat(request.get().statusCode()).isEqualTo(200);
      }
      // Answered, they no longer count: the next blocking reload parks again.
      assertThat(Http.get(base + "ll.m3u8?" + LlPlaylist.parse(Http.get(base + "ll.m3u8").body()).nextPartQuery())
          .statusCode()).isEqualTo(200);
    }
  }

  @Test
  void ffmpeg8Ffmpeg51AndVlcPlayTheSeedUrls() throws Exception {
    Path media = TestMedia.audioVideo(20, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    try (TestNode node = TestNode.start()) {
      processes.own(Clients.publish("seed-publisher", media, node.rtmpUrl("seed")));
      node.awaitPublisher("seed");
      String nginxForm = node.httpUrl("/hls/seed.m3u8");
      String appForm = node.httpUrl("/hls/live/seed.m3u8");
      Await.until("the seed playlist", Duration.ofSeconds(15), () -> Http.status(nginxForm) == 200);
      assertThat(Http.get(appForm).body()).as("hls.variant's default").contains("#EXT-X-PART-INF:");
      Path hashes = Clients.output("seed-ffmpeg8.framemd5");
      Process ffmpeg = processes.own(Ffmpeg.start("seed-ffmpeg8", List.of("-v", "error", "-i", nginxForm, "-t", "8",
          "-map", "0", "-c", "copy", "-f", "framemd5", "-y", hashes.toString())));
      Path debianHashes = Clients.output("seed-ffmpeg51.framemd5");
      Process debian = processes.own(Ffmpeg.startDebian("seed-ffmpeg51", List.of("-v", "error", "-i", appForm,
          "-t", "6", "-map", "0", "-c", "copy", "-f", "framemd5", "-y", debianHashes.toString())));
      Process vlc = processes.own(Vlc.start("seed-vlc", nginxForm, 8));
      Ffmpeg.awaitSuccess("seed-ffmpeg8", ffmpeg, 40);
      Ffmpeg.awaitSuccess("seed-ffmpeg51", debian, 40);
      assertThat(Ffmpeg.logTail("seed-ffmpeg8").strip()).as("ffmpeg 8 errors").isEmpty();
      assertThat(Ffmpeg.logTail("seed-ffmpeg51").strip()).as("ffmpeg 5.1 errors").isEmpty();
      FrameHashes by8 = FrameHashes.parse(hashes);
      FrameHashes by51 = FrameHashes.parse(debianHashes);
      assertThat(by8.video().size()).as("ffmpeg 8 video packets in 8 s").isGreaterThan(7 * 25);
      assertThat(by51.video().size()).as("ffmpeg 5.1 video packets in 6 s").isGreaterThan(5 * 25);
      FrameHashes.assertContiguous("seed URL video, ffmpeg 8", published.video(), by8.video());
      FrameHashes.assertContiguous("seed URL audio, ffmpeg 8", published.audio(), by8.audio());
      FrameHashes.assertContiguous("seed URL video, ffmpeg 5.1", published.video(), by51.video());
      FrameHashes.assertContiguous("seed URL audio, ffmpeg 5.1", published.audio(), by51.audio());
      assertThat(vlc.waitFor(40, java.util.concurrent.TimeUnit.SECONDS)).as("VLC done").isTrue();
      List<String> packets = Vlc.receivedPackets("seed-vlc");
      assertThat(packets.stream().filter("video"::equals).count()).as("video packets VLC received in 8 s")
          .isGreaterThan(5 * 25);
      assertThat(packets).as("VLC received audio").contains("audio");
    }
  }

  private static void fetchParts(String base, List<LlPlaylist.Part> listed, Map<String, byte[]> parts,
      Map<String, Boolean> independent) throws Exception {
    for (LlPlaylist.Part part : listed) {
      if (!parts.containsKey(part.uri())) {
        HttpResponse<byte[]> response = Http.getBytes(base + part.uri());
        assertThat(response.statusCode()).as(part.uri()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("video/iso.segment");
        parts.put(part.uri(), response.body());
        independent.put(part.uri(), part.independent());
      }
    }
  }

  /** Every part: tfdt continuous per track across parts, read by ffprobe after the init; independent ones decode. */
  private static void checkParts(String name, byte[] init, Map<String, byte[]> parts, Map<String, Boolean> independent)
      throws Exception {
    Map<Integer, Long> ends = new HashMap<>();
    for (Map.Entry<String, byte[]> entry : parts.entrySet()) {
      for (TrackFragment fragment : Mp4Check.fragments(entry.getValue())) {
        Long end = ends.get(fragment.trackId());
        if (end != null) {
          assertThat(fragment.baseDecodeTime()).as("tfdt of track %d in %s", fragment.trackId(), entry.getKey())
              .isEqualTo(end);
        }
        ends.put(fragment.trackId(), fragment.baseDecodeTime() + fragment.duration());
      }
      decodes(name + "-" + entry.getKey(), init, entry.getValue(), independent.get(entry.getKey()));
    }
    assertThat(ends).containsOnlyKeys(1, 2);
  }

  /** ffprobe reads init + media without a message; with {@code decode}, ffmpeg decodes it too. */
  private static void decodes(String name, byte[] init, byte[] media, boolean decode) throws Exception {
    Path file = Clients.output(name + ".mp4");
    byte[] all = new byte[init.length + media.length];
    System.arraycopy(init, 0, all, 0, init.length);
    System.arraycopy(media, 0, all, init.length, media.length);
    Files.write(file, all);
    Ffmpeg.awaitSuccess(name + "-probe", Ffmpeg.startProbe(name + "-probe", List.of("-v", "error", "-show_entries",
        "packet=codec_type", "-of", "csv=p=0", file.toString())), 30);
    assertThat(Ffmpeg.logTail(name + "-probe").strip()).as(name + " packets").contains("video").doesNotContain("rror");
    if (decode) {
      Ffmpeg.run(name + "-decode", List.of("-v", "error", "-xerror", "-i", file.toString(), "-f", "null", "-"), 30);
      assertThat(Ffmpeg.logTail(name + "-decode").strip()).as(name + " decode errors").isEmpty();
    }
  }
}
