package dev.streamedge.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ladder, as players get it: Debian's ffmpeg (what the image installs) transcodes a 320x240 source
 * whose keyframes are 1.48 s apart into 240x180 at 300 kbit/s and 160x120 at 150 kbit/s. ffmpeg 8 plays
 * the source and each rendition over RTMP; ffprobe finds each rendition's size, its video bitrate within
 * 20 % of the ladder's, and the source's keyframe times in every rendition. The master playlist at the
 * seed URL lists the three with the CODECS of their real sequence headers, each by the playlist of the app's
 * {@code hls.variant} (LL-HLS for app "live", MPEG-TS for app "tv"), and ffprobe reads it.
 */
@Tag("e2e")
class TranscodeLadderTest {

  private static final String LADDER = "180p=240x180@300k,120p=160x120@150k";
  private static final Map<String, int[]> SIZES = Map.of("180p", new int[] {240, 180, 300}, "120p",
      new int[] {160, 120, 150});

  @RegisterExtension
  static final TestNode node = TestNode.extension("--transcode.apps=live,tv", "--transcode.ladder=" + LADDER,
      "--transcode.ffmpeg=" + Ffmpeg.DEBIAN_FFMPEG, "--hls.variant=tv=mpegts,*=low-latency");

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void eachRenditionHasItsSizeItsBitrateAndTheSourcesKeyframes() throws Exception {
    Path media = TestMedia.oddGop(16);
    String run = "ladder-" + ProcessHandle.current().pid();
    Map<String, Path> files = new LinkedHashMap<>();
    List<Process> players = new ArrayList<>();
    for (String stream : List.of("abr", "abr_180p", "abr_120p")) {
      Path out = Clients.output(run + "-" + stream + ".flv");
      files.put(stream, out);
      // Started first, they wait for their stream and get it from its first packet; -copyts keeps the
      // stream's timestamps, which a remux would otherwise shift to start each file at its own zero.
      players.add(processes.own(Ffmpeg.start(run + "-play-" + stream, List.of("-i", node.rtmpUrl(stream),
          "-map", "0", "-c", "copy", "-copyts", "-f", "flv", "-y", out.toString()))));
    }
    Process publisher = processes.own(Clients.publish(run + "-publish", media, node.rtmpUrl("abr")));

    String master = masterWhen("abr", "FRAME-RATE");
    Ffmpeg.awaitSuccess(run + "-publish", publisher, 60);
    for (Process player : players) {
      ChildProcesses.stop(player);
    }

    List<RenditionFiles.Packet> source = RenditionFiles.videoPackets(files.get("abr"));
    double from = source.get(0).seconds();
    double to = source.get(source.size() - 1).seconds();
    Map<String, List<RenditionFiles.Packet>> renditions = new LinkedHashMap<>();
    for (String name : SIZES.keySet()) {
      List<RenditionFiles.Packet> packets = RenditionFiles.videoPackets(files.get("abr_" + name));
      renditions.put(name, packets);
      from = Math.max(from, packets.get(0).seconds());
      to = Math.min(to, packets.get(packets.size() - 1).seconds());
    }
    List<Long> sourceKeys = RenditionFiles.keyframes(source, from, to);
    System.out.printf("source keyframes in [%.3f, %.3f] s: %s%n", from, to, sourceKeys);
    assertThat(sourceKeys).as("source keyframes both saw").hasSizeGreaterThanOrEqualTo(5);

    for (Map.Entry<String, List<RenditionFiles.Packet>> entry : renditions.entrySet()) {
      int[] want = SIZES.get(entry.getKey());
      Path file = files.get("abr_" + entry.getKey());
      RenditionFiles.Picture picture = RenditionFiles.picture(file);
      double kbps = RenditionFiles.videoBitrate(entry.getValue()) / 1000;
      System.out.printf("%s: %dx%d level %d, video %.0f kbit/s (ladder %d), keyframes %s%n", entry.getKey(),
          picture.width(), picture.height(), picture.level(), kbps, want[2],
          RenditionFiles.keyframes(entry.getValue(), from, to));
      assertThat(picture.width()).isEqualTo(want[0]);
      assertThat(picture.height()).isEqualTo(want[1]);
      assertThat(kbps).as("video bitrate of " + entry.getKey()).isCloseTo(want[2], within(want[2] * 0.2));
      assertThat(RenditionFiles.keyframes(entry.getValue(), from, to)).as("keyframes of " + entry.getKey())
          .isEqualTo(sourceKeys);
      // CODECS is built from the rendition's own sequence header: its level_idc is the one ffprobe reads.
      assertThat(master).contains(String.format("RESOLUTION=%dx%d", want[0], want[1]));
      Matcher codecs = Pattern.compile("RESOLUTION=" + want[0] + "x" + want[1]
          + ",FRAME-RATE=25\\.000,CODECS=\"avc1\\.([0-9a-f]{4})([0-9a-f]{2}),mp4a\\.40\\.2\"\n"
          + "live/abr_" + entry.getKey() + "/ll\\.m3u8\n").matcher(master);
      assertThat(codecs.find()).as(master).isTrue();
      assertThat(Integer.parseInt(codecs.group(2), 16)).isEqualTo(picture.level());
    }
  }

  @Test
  void theMasterPlaylistListsTheLadderAndFfprobeReadsEveryVariant() throws Exception {
    String run = "ladder-master-" + ProcessHandle.current().pid();
    processes.own(Clients.publishLooping(run + "-publish", TestMedia.oddGop(16), node.rtmpUrl("abm")));
    String master = masterWhen("abm", "AVERAGE-BANDWIDTH");
    System.out.println(master);
    // Every variant, the source too, by its LL-HLS playlist: app "live" has the default hls.variant.
    assertThat(master).startsWith("#EXTM3U\n").contains("\nlive/abm/ll.m3u8\n", "\nlive/abm_180p/ll.m3u8\n",
        "\nlive/abm_120p/ll.m3u8\n").doesNotContain("ts.m3u8", "fmp4.m3u8");
    // The same ladder at the seed URL of any app, with URIs relative to it.
    assertThat(Http.get(httpUrl("/hls/live/abm.m3u8")).body()).contains("\nabm/ll.m3u8\n", "\nabm_120p/ll.m3u8\n");
    for (String uri : List.of("live/abm/ll.m3u8", "live/abm_180p/ll.m3u8", "live/abm_120p/ll.m3u8")) {
      HttpResponse<String> variant = Http.get(httpUrl("/hls/" + uri));
      assertThat(variant.statusCode()).as(uri).isEqualTo(200);
      assertThat(variant.body()).as(uri).contains("#EXT-X-PART-INF:", "#EXTINF:", "#EXT-X-RENDITION-REPORT:");
    }
    String probe = run + "-probe";
    Ffmpeg.awaitSuccess(probe, Ffmpeg.startProbe(probe, List.of("-v", "error", "-select_streams", "v",
        "-show_entries", "stream=width,height", "-of", "csv=p=0", httpUrl("/hls/abm.m3u8"))), 60);
    List<String> sizes = java.nio.file.Files.readAllLines(Path.of("target", "ffmpeg-logs", probe + ".log"));
    assertThat(sizes).as("the variants ffprobe found").contains("320,240", "240,180", "160,120");
  }

  @Test
  void anMpegtsAppsMasterListsEveryVariantByItsTsPlaylist() throws Exception {
    String run = "ladder-ts-" + ProcessHandle.current().pid();
    processes.own(Clients.publishLooping(run + "-publish", TestMedia.oddGop(16),
        node.rtmpUrl("abt").replace("/live/", "/tv/")));
    String master = masterWhen("tv/abt", "AVERAGE-BANDWIDTH");
    System.out.println(master);
    assertThat(master).contains("\nabt/ts.m3u8\n", "\nabt_180p/ts.m3u8\n", "\nabt_120p/ts.m3u8\n")
        .doesNotContain("ll.m3u8", "fmp4.m3u8");
    for (String uri : List.of("tv/abt/ts.m3u8", "tv/abt_180p/ts.m3u8", "tv/abt_120p/ts.m3u8")) {
      HttpResponse<String> variant = Http.get(httpUrl("/hls/" + uri));
      assertThat(variant.statusCode()).as(uri).isEqualTo(200);
      assertThat(variant.body()).as(uri).contains("#EXT-X-VERSION:3\n", ".ts\n").doesNotContain("#EXT-X-PART",
          "#EXT-X-RENDITION-REPORT");
    }
    // The CODECS of a rendition are the same strings whatever the container.
    assertThat(master).containsPattern("RESOLUTION=160x120,.*CODECS=\"avc1\\.[0-9a-f]{6},mp4a\\.40\\.2\"\n"
        + "abt_120p/ts\\.m3u8\n");
    String probe = run + "-probe";
    Ffmpeg.awaitSuccess(probe, Ffmpeg.startProbe(probe, List.of("-v", "error", "-select_streams", "v",
        "-show_entries", "stream=width,height", "-of", "csv=p=0", httpUrl("/hls/tv/abt.m3u8"))), 60);
    List<String> sizes = java.nio.file.Files.readAllLines(Path.of("target", "ffmpeg-logs", probe + ".log"));
    assertThat(sizes).as("the variants ffprobe found").contains("320,240", "240,180", "160,120");
  }

  /** The master playlist of {@code key} once each of its three variants has {@code attribute}. */
  private static String masterWhen(String key, String attribute) throws Exception {
    AtomicReference<String> master = new AtomicReference<>();
    Await.until("a master playlist of three variants with " + attribute, Duration.ofSeconds(20), () -> {
      HttpResponse<String> r = Http.get(httpUrl("/hls/" + key + ".m3u8"));
      master.set(r.body());
      // Polled at a player's pace, not a busy loop's.
      Thread.sleep(200);
      return r.statusCode() == 200 && r.body().split(attribute, -1).length == 4;
    });
    return master.get();
  }

  private static String httpUrl(String path) {
    return "http://127.0.0.1:" + node.httpPort() + path;
  }
}
