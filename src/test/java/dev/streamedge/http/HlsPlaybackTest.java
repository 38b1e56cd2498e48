package dev.streamedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import dev.streamedge.testing.TsCheck;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HLS packaged in the server from the live stream, read by ffmpeg/ffprobe 8 as a live playlist at the
 * nginx-rtmp URL, and checked segment by segment.
 */
@Tag("e2e")
class HlsPlaybackTest {

  private static final Pattern EXTINF = Pattern.compile("#EXTINF:([0-9.]+),\\s*\\n([^\\n]+)");
  private static final Pattern TARGET = Pattern.compile("#EXT-X-TARGETDURATION:(\\d+)");

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void ffmpegReadsTheLivePlaylistForTwelveSecondsAndEverySegmentIsWhole() throws Exception {
    Path media = TestMedia.audioVideo(18, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    // hls.variant=mpegts: the seed URL serves MPEG-TS, as it did before LL-HLS became the default.
    try (TestNode node = TestNode.start("--hls.variant=mpegts")) {
      Process publisher = processes.own(Clients.publish("hls-publisher", media, node.rtmpUrl("hlstest")));
      node.awaitPublisher("hlstest");
      String playlistUrl = node.httpUrl("/hls/hlstest.m3u8");

      // A live reader for 12 s: every packet it reads must decode with no error.
      Path hashes = Clients.output("hls-live.framemd5");
      Process reader = processes.own(Ffmpeg.start("hls-live-reader", List.of("-v", "error", "-i", playlistUrl,
          "-t", "12", "-map", "0", "-c", "copy", "-f", "framemd5", "-y", hashes.toString())));

      // Meanwhile, collect every segment as it is listed, for as long as the reader reads.
      Map<String, Double> listed = new LinkedHashMap<>();
      Map<String, byte[]> segments = new LinkedHashMap<>();
      int target = -1;
      long until = System.nanoTime() + Duration.ofSeconds(40).toNanos();
      while (System.nanoTime() < until && publisher.isAlive() && reader.isAlive()) {
        HttpResponse<String> playlist = Http.get(playlistUrl);
        assertThat(playlist.statusCode()).isEqualTo(200);
        assertThat(playlist.headers().firstValue("Content-Type")).hasValue("application/vnd.apple.mpegurl");
        assertThat(playlist.headers().firstValue("Cache-Control")).hasValue("no-cache");
        String text = playlist.body();
        Matcher t = TARGET.matcher(text);
        assertThat(t.find()).isTrue();
        int thisTarget = Integer.parseInt(t.group(1));
        assertThat(target == -1 || target == thisTarget).as("target duration never changes").isTrue();
        target = thisTarget;
        Matcher m = EXTINF.matcher(text);
        while (m.find()) {
          String uri = m.group(2).trim();
          if (!segments.containsKey(uri)) {
            HttpResponse<byte[]> segment = Http.getBytes(node.httpUrl("/hls/" + uri));
            assertThat(segment.statusCode()).as(uri).isEqualTo(200);
            assertThat(segment.headers().firstValue("Content-Type")).hasValue("video/mp2t");
            segments.put(uri, segment.body());
            listed.put(uri, Double.parseDouble(m.group(1)));
          }
        }
        // A player's reload interval, well within the target duration, while the reader reads.
        Thread.sleep(200);
      }
      Ffmpeg.awaitSuccess("hls-live-reader", reader, 30);
      assertThat(Files.readString(Path.of("target", "ffmpeg-logs", "hls-live-reader.log")).strip())
          .as("ffmpeg errors while reading the live playlist").isEmpty();
      FrameHashes read = FrameHashes.parse(hashes);
      assertThat(read.video().size()).as("video packets in 12 s").isGreaterThan(10 * 25);

      assertThat(segments.size()).as("segments seen").isGreaterThanOrEqualTo(5);
      TsCheck continuity = new TsCheck();
      int index = 0;
      for (Map.Entry<String, byte[]> entry : segments.entrySet()) {
        String uri = entry.getKey();
        double extinf = listed.get(uri);
        assertThat(Math.round(extinf)).as(uri + " EXTINF rounded").isLessThanOrEqualTo(target);
        continuity.feed(uri, entry.getValue());
        Path file = Clients.output("hls-segment-" + index++ + ".ts");
        Files.write(file, entry.getValue());
        double probed = videoSpan(file);
        // One frame of slack (25 fps): the span is measured on presentation times.
        assertThat(probed).as(uri + " video duration vs EXTINF " + extinf).isCloseTo(extinf, Offset.offset(0.041));
        Ffmpeg.run("hls-decode-" + index, List.of("-v", "error", "-xerror", "-i", file.toString(), "-f", "null", "-"), 30);
        assertThat(Ffmpeg.logTail("hls-decode-" + index).strip()).as(uri + " decode errors").isEmpty();
      }
      assertThat(published.video()).isNotEmpty();
    }
  }

  @Test
  void publisherRestartIsADiscontinuityThatFfmpegCrosses() throws Exception {
    Path media = TestMedia.audioVideo(6, 1);
    try (TestNode node = TestNode.start("--hls.playlist-length=20")) {
      Ffmpeg.awaitSuccess("hls-restart-1", Clients.publish("hls-restart-1", media, node.rtmpUrl("restart")), 60);
      Ffmpeg.awaitSuccess("hls-restart-2", Clients.publish("hls-restart-2", media, node.rtmpUrl("restart")), 60);
      String playlistUrl = node.httpUrl("/hls/restart.m3u8");
      Await.until("a discontinuity in the playlist", Duration.ofSeconds(10),
          () -> Http.get(playlistUrl).body().contains("#EXT-X-DISCONTINUITY\n"));
      String playlist = Http.get(playlistUrl).body();
      assertThat(playlist).contains("#EXT-X-DISCONTINUITY-SEQUENCE:").contains("#EXT-X-PROGRAM-DATE-TIME:");
      Ffmpeg.run("hls-restart-reader", List.of("-v", "error", "-live_start_index", "0", "-i", playlistUrl,
          "-t", "10", "-f", "null", "-"), 60);
      assertThat(Ffmpeg.logTail("hls-restart-reader").strip()).as("errors crossing the discontinuity").isEmpty();
    }
  }

  /** The segment's video span from its packets: last (pts + duration) minus first pts. */
  private static double videoSpan(Path segment) throws Exception {
    String name = "probe-" + segment.getFileName();
    Ffmpeg.awaitSuccess(name, Ffmpeg.startProbe(name, List.of("-v", "error", "-f", "mpegts", "-select_streams", "v",
        "-show_entries", "packet=pts_time,duration_time", "-of", "csv=p=0", segment.toString())), 30);
    double first = Double.MAX_VALUE;
    double end = 0;
    for (String line : Files.readAllLines(Path.of("target", "ffmpeg-logs", name + ".log"))) {
      String[] fields = line.trim().split(",");
      if (fields.length == 2) {
        double pts = Double.parseDouble(fields[0]);
        first = Math.min(first, pts);
        end = Math.max(end, pts + Double.parseDouble(fields[1]));
      }
    }
    return end - first;
  }
}
