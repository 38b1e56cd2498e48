package dev.streamedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.Mp4Check;
import dev.streamedge.testing.Mp4Check.TrackFragment;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fMP4 HLS variant at /hls/&lt;app&gt;/&lt;key&gt;/fmp4.m3u8, read live by ffmpeg 8: frame for
 * frame what was published, every init + segment decodable, each track's tfdt continuous, and
 * audio-only and video-only streams packaged on demand.
 */
@Tag("e2e")
class HlsFmp4PlaybackTest {

  private static final Pattern SEGMENT = Pattern.compile(
      "#EXT-X-PROGRAM-DATE-TIME:[^\\n]+\\n#EXTINF:[0-9.]+,\\n([0-9]+\\.m4s)\\n");
  private static final Pattern MAP = Pattern.compile("#EXT-X-MAP:URI=\"(init-[0-9]+\\.mp4)\"");

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void ffmpegReadsTheLiveFmp4PlaylistFrameForFrameWithAContinuousTimeline() throws Exception {
    Path media = TestMedia.audioVideo(14, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    try (TestNode node = TestNode.start()) {
      Process publisher = processes.own(Clients.publish("fmp4-publisher", media, node.rtmpUrl("fmp4test")));
      node.awaitPublisher("fmp4test");
      String base = node.httpUrl("/hls/live/fmp4test/");
      Path hashes = Clients.output("fmp4-live.framemd5");
      Process reader = processes.own(Ffmpeg.start("fmp4-live-reader", List.of("-v", "error", "-i",
          base + "fmp4.m3u8", "-t", "8", "-map", "0", "-c", "copy", "-f", "framemd5", "-y", hashes.toString())));
      // Debian's ffmpeg 5.1 reads the same playlist at the same time.
      Path debianHashes = Clients.output("fmp4-live-debian.framemd5");
      Process debian = processes.own(Ffmpeg.startDebian("fmp4-live-debian", List.of("-v", "error",
          "-i", base + "fmp4.m3u8", "-t", "6", "-map", "0", "-c", "copy", "-f", "framemd5", "-y",
          debianHashes.toString())));

      Map<String, byte[]> inits = new HashMap<>();
      Map<String, String> initOf = new LinkedHashMap<>();
      Map<String, byte[]> segments = new LinkedHashMap<>();
      long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < until && publisher.isAlive() && reader.isAlive()) {
        HttpResponse<String> playlist = Http.get(base + "fmp4.m3u8");
        assertThat(playlist.statusCode()).isEqualTo(200);
        assertThat(playlist.headers().firstValue("Content-Type")).hasValue("application/vnd.apple.mpegurl");
        String text = playlist.body();
        assertThat(text).startsWith("#EXTM3U\n#EXT-X-VERSION:7\n");
        Matcher map = MAP.matcher(text);
        assertThat(map.find()).as("EXT-X-MAP in " + text).isTrue();
        String init = map.group(1);
        if (!inits.containsKey(init)) {
          HttpResponse<byte[]> response = Http.getBytes(base + init);
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(response.headers().firstValue("Content-Type")).hasValue("video/mp4");
          inits.put(init, response.body());
        }
        // Every segment has its EXT-X-PROGRAM-DATE-TIME: as many dates as segments.
        assertThat(text.split("#EXT-X-PROGRAM-DATE-TIME:", -1).length - 1)
            .isEqualTo(text.split("#EXTINF:", -1).length - 1);
        for (Matcher m = SEGMENT.matcher(text); m.find(); ) {
          String uri = m.group(1);
          if (!segments.containsKey(uri)) {
            HttpResponse<byte[]> segment = Http.getBytes(base + uri);
            assertThat(segment.statusCode()).as(uri).isEqualTo(200);
            assertThat(segment.headers().firstValue("Content-Type")).hasValue("video/iso.segment");
            segments.put(uri, segment.body());
            initOf.put(uri, init);
          }
        }
        Thread.sleep(300); // a player's reload interval
      }
      Ffmpeg.awaitSuccess("fmp4-live-reader", reader, 30);
      assertThat(Ffmpeg.logTail("fmp4-live-reader").strip()).as("ffmpeg errors reading the fMP4 playlist").isEmpty();
      FrameHashes read = FrameHashes.parse(hashes);
      assertThat(read.video().size()).as("video packets in 8 s").isGreaterThan(7 * 25);
      FrameHashes.assertContiguous("fMP4 video", published.video(), read.video());
      FrameHashes.assertContiguous("fMP4 audio", published.audio(), read.audio());
      Ffmpeg.awaitSuccess("fmp4-live-debian", debian, 30);
      assertThat(Ffmpeg.logTail("fmp4-live-debian").strip()).as("ffmpeg 5.1 errors").isEmpty();
      FrameHashes byDebian = FrameHashes.parse(debianHashes);
      assertThat(byDebian.video().size()).as("ffmpeg 5.1 video packets in 6 s").isGreaterThan(5 * 25);
      FrameHashes.assertContiguous("fMP4 video, ffmpeg 5.1", published.video(), byDebian.video());
      FrameHashes.assertContiguous("fMP4 audio, ffmpeg 5.1", published.audio(), byDebian.audio());

      assertThat(segments.size()).as("segments seen").isGreaterThanOrEqualTo(3);
      assertThat(inits).hasSize(1);
      Map<Integer, Long> ends = new HashMap<>();
      int index = 0;
      for (Map.Entry<String, byte[]> entry : segments.entrySet()) {
        for (TrackFragment fragment : Mp4Check.fragments(entry.getValue())) {
          Long end = ends.get(fragment.trackId());
          if (end != null) {
            assertThat(fragment.baseDecodeTime()).as("tfdt of track %d in %s", fragment.trackId(), entry.getKey())
                .isEqualTo(end);
          }
          ends.put(fragment.trackId(), fragment.baseDecodeTime() + fragment.duration());
        }
        Path alone = Clients.output("fmp4-alone-" + index++ + ".mp4");
        Files.write(alone, concat(inits.get(initOf.get(entry.getKey())), entry.getValue()));
        Ffmpeg.run("fmp4-decode-" + index, List.of("-v", "error", "-xerror", "-i", alone.toString(), "-f", "null",
            "-"), 30);
        assertThat(Ffmpeg.logTail("fmp4-decode-" + index).strip()).as(entry.getKey() + " decode errors").isEmpty();
      }
      assertThat(ends).containsOnlyKeys(1, 2);
      // Segments and init segments answer HEAD and byte ranges, as TS segments do.
      String first = segments.keySet().iterator().next();
      HttpResponse<byte[]> range = Http.getBytes(base + first, "Range", "bytes=0-7");
      assertThat(range.statusCode()).isEqualTo(206);
      assertThat(range.body()).isEqualTo(java.util.Arrays.copyOf(segments.get(first), 8));
      String init = inits.keySet().iterator().next();
      HttpResponse<String> head = Http.send(Http.request(base + init).method("HEAD",
          java.net.http.HttpRequest.BodyPublishers.noBody()), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.headers().firstValue("Content-Length")).hasValue(String.valueOf(inits.get(init).length));
      assertThat(head.headers().firstValue("Cache-Control")).hasValue("public, max-age=86400, immutable");
      // The seed URL serves LL-HLS (hls.variant's default), the same fMP4 segments with parts; MPEG-TS
      // is reachable by name next to its segments.
      assertThat(Http.get(node.httpUrl("/hls/fmp4test.m3u8")).body()).contains("#EXT-X-VERSION:9\n")
          .contains("#EXT-X-MAP:URI=\"fmp4test/init-").contains("#EXT-X-PART-INF:").doesNotContain(".ts\n");
      String ts = Http.get(base + "ts.m3u8").body();
      Matcher tsSegment = Pattern.compile("\n([0-9]+\\.ts)\n").matcher(ts);
      assertThat(ts).contains("#EXT-X-VERSION:3\n");
      assertThat(tsSegment.find()).as(ts).isTrue();
      HttpResponse<byte[]> tsBytes = Http.getBytes(base + tsSegment.group(1));
      assertThat(tsBytes.statusCode()).isEqualTo(200);
      assertThat(tsBytes.headers().firstValue("Content-Type")).hasValue("video/mp2t");
    }
  }

  @Test
  void audioOnlyAndVideoOnlyStreamsArePackagedOnDemand() throws Exception {
    try (TestNode node = TestNode.start("--hls.on-demand-apps=*", "--hls.target-duration=1s")) {
      Map<String, String> kinds = Map.of("audio", "audio", "video", "video");
      processes.own(Clients.publish("fmp4-audio-publisher", TestMedia.audioOnly(10), node.rtmpUrl("audio")));
      processes.own(Clients.publish("fmp4-video-publisher", TestMedia.videoOnly(10), node.rtmpUrl("video")));
      for (String key : kinds.keySet()) {
        node.awaitPublisher(key);
        String base = node.httpUrl("/hls/live/" + key + "/");
        // The first request starts packaging; the playlist lists segments once two exist.
        Await.until("two fMP4 segments of " + key, Duration.ofSeconds(15), () -> {
          HttpResponse<String> playlist = Http.get(base + "fmp4.m3u8");
          return playlist.statusCode() == 200 && playlist.body().split("#EXTINF:", -1).length > 2;
        });
        String text = Http.get(base + "fmp4.m3u8").body();
        Matcher map = MAP.matcher(text);
        assertThat(map.find()).isTrue();
        byte[] init = Http.getBytes(base + map.group(1)).body();
        assertThat(Mp4Check.tree(init)).contains(key.equals("audio") ? "smhd" : "vmhd")
            .doesNotContain(key.equals("audio") ? "vmhd" : "smhd");
        List<String> uris = new ArrayList<>();
        for (Matcher m = SEGMENT.matcher(text); m.find(); ) {
          uris.add(m.group(1));
        }
        Path file = Clients.output("fmp4-" + key + ".mp4");
        byte[] all = init;
        for (String uri : uris) {
          all = concat(all, Http.getBytes(base + uri).body());
        }
        Files.write(file, all);
        String probe = "fmp4-" + key + "-probe";
        Ffmpeg.awaitSuccess(probe, Ffmpeg.startProbe(probe, List.of("-v", "error", "-show_entries",
            "stream=codec_type", "-of", "csv=p=0", file.toString())), 30);
        assertThat(Ffmpeg.logTail(probe).strip()).isEqualTo(kinds.get(key));
        Ffmpeg.run("fmp4-" + key + "-decode", List.of("-v", "error", "-xerror", "-i", file.toString(), "-f", "null",
            "-"), 30);
        assertThat(Ffmpeg.logTail("fmp4-" + key + "-decode").strip()).isEmpty();
      }
    }
  }

  @Test
  void hevcAndOpusPublishedOverEnhancedRtmpPlayFrameForFrame() throws Exception {
    Path media = TestMedia.enhanced("hevc", "opus", 12);
    FrameHashes published = FrameHashes.ofFile(media);
    try (TestNode node = TestNode.start()) {
      // ffmpeg 8 publishes HEVC and Opus with Enhanced RTMP's FourCC headers.
      processes.own(Clients.publish("fmp4-hevc-publisher", media, node.rtmpUrl("hevc")));
      node.awaitPublisher("hevc");
      String url = node.httpUrl("/hls/live/hevc/fmp4.m3u8");
      Await.until("an fMP4 playlist of HEVC and Opus", Duration.ofSeconds(15), () -> Http.get(url).statusCode() == 200);
      Path hashes = Clients.output("fmp4-hevc.framemd5");
      Ffmpeg.run("fmp4-hevc-reader", List.of("-v", "error", "-i", url, "-t", "4", "-map", "0", "-c", "copy",
          "-f", "framemd5", "-y", hashes.toString()), 30);
      assertThat(Ffmpeg.logTail("fmp4-hevc-reader").strip()).isEmpty();
      FrameHashes read = FrameHashes.parse(hashes);
      assertThat(read.video().size()).as("video packets in 4 s").isGreaterThan(3 * 25);
      FrameHashes.assertContiguous("HEVC", published.video(), read.video());
      FrameHashes.assertContiguous("Opus", published.audio(), read.audio());
      // MPEG-TS carries neither codec: its playlist has nothing to list; the seed URL serves LL-HLS.
      assertThat(Http.get(node.httpUrl("/hls/live/hevc/ts.m3u8")).statusCode()).isEqualTo(404);
      assertThat(Http.get(node.httpUrl("/hls/hevc.m3u8")).body()).contains("#EXT-X-PART-INF:");
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
