package dev.streamedge.dash;

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
import dev.streamedge.testing.Vlc;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * MPEG-DASH at nginx-rtmp's URL (/dash/&lt;key&gt;.mpd) and at /dash/&lt;app&gt;/&lt;key&gt;.mpd, read live by
 * ffmpeg 8's and ffmpeg 5.1's DASH demuxers frame for frame and played by VLC; the MPD read as XML: each track alone in its own AdaptationSet, the
 * SegmentTimeline's times those of the segments' tfdt, every segment decodable after its init segment; a
 * publisher that comes back starts a new Period after the first; hls.dash=false turns it off.
 */
@Tag("e2e")
class DashPlaybackTest {

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  /** One track's segment as the MPD lists it. */
  record Listed(String url, long time, long duration) {
  }

  @Test
  void ffmpegReadsTheLiveMpdFrameForFrameAndEachTrackIsAloneInItsSegments() throws Exception {
    Path media = TestMedia.audioVideo(16, 1);
    FrameHashes published = FrameHashes.ofFile(media);
    try (TestNode node = TestNode.start()) {
      processes.own(Clients.publish("dash-publisher", media, node.rtmpUrl("dashtest")));
      node.awaitPublisher("dashtest");
      String mpdUrl = node.httpUrl("/dash/dashtest.mpd");
      Await.until("an MPD with two segments", Duration.ofSeconds(20), () -> {
        HttpResponse<String> mpd = Http.get(mpdUrl);
        return mpd.statusCode() == 200
            && timeline((Element) parse(mpd.body()).getElementsByTagName("SegmentTemplate").item(0)).size() >= 2;
      });
      Path hashes = Clients.output("dash-live.framemd5");
      Process reader = processes.own(Ffmpeg.start("dash-live-reader", List.of("-i", mpdUrl, "-t", "6", "-map", "0",
          "-c", "copy", "-f", "framemd5", "-y", hashes.toString())));
      // Debian's ffmpeg 5.1 and VLC 3 read the app's form of the same MPD at the same time.
      Path debianHashes = Clients.output("dash-live-debian.framemd5");
      Process debian = processes.own(Ffmpeg.startDebian("dash-live-debian", List.of("-i",
          node.httpUrl("/dash/live/dashtest.mpd"), "-t", "5", "-map", "0", "-c", "copy", "-f", "framemd5", "-y",
          debianHashes.toString())));
      Process vlc = processes.own(Vlc.start("dash-vlc", node.httpUrl("/dash/live/dashtest.mpd"), 8));

      HttpResponse<String> response = Http.get(mpdUrl);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("application/dash+xml");
      assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
      Document mpd = parse(response.body());
      Element root = mpd.getDocumentElement();
      assertThat(root.getAttribute("type")).isEqualTo("dynamic");
      assertThat(root.getAttribute("profiles")).isEqualTo("urn:mpeg:dash:profile:isoff-live:2011");
      Instant start = Instant.parse(root.getAttribute("availabilityStartTime"));
      assertThat(start).isBetween(Instant.now().minusSeconds(30), Instant.now());
      Element utc = (Element) root.getElementsByTagName("UTCTiming").item(0);
      assertThat(Instant.parse(utc.getAttribute("value"))).isBetween(Instant.now().minusSeconds(5), Instant.now());
      assertThat(root.getElementsByTagName("Period").getLength()).isEqualTo(1);
      NodeList sets = root.getElementsByTagName("AdaptationSet");
      assertThat(sets.getLength()).isEqualTo(2);
      Element video = (Element) sets.item(0);
      Element audio = (Element) sets.item(1);
      assertThat(video.getAttribute("contentType")).isEqualTo("video");
      assertThat(audio.getAttribute("contentType")).isEqualTo("audio");
      Element videoRepresentation = (Element) video.getElementsByTagName("Representation").item(0);
      assertThat(videoRepresentation.getAttribute("codecs")).startsWith("avc1.");
      assertThat(videoRepresentation.getAttribute("width")).isEqualTo("640");
      assertThat(((Element) audio.getElementsByTagName("Representation").item(0)).getAttribute("codecs"))
          .isEqualTo("mp4a.40.2");

      String base = node.httpUrl("/dash/");
      for (Element set : List.of(video, audio)) {
        boolean isVideo = set == video;
        Element template = (Element) set.getElementsByTagName("SegmentTemplate").item(0);
        HttpResponse<byte[]> init = Http.getBytes(base + template.getAttribute("initialization"));
        assertThat(init.statusCode()).isEqualTo(200);
        assertThat(init.headers().firstValue("Content-Type")).hasValue(isVideo ? "video/mp4" : "audio/mp4");
        assertThat(Mp4Check.tree(init.body())).contains(isVideo ? "vmhd" : "smhd")
            .doesNotContain(isVideo ? "smhd" : "vmhd");
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(init.body());
        Long end = null;
        for (Listed listed : timeline(template)) {
          HttpResponse<byte[]> segment = Http.getBytes(base + listed.url());
          assertThat(segment.statusCode()).as(listed.url()).isEqualTo(200);
          assertThat(segment.headers().firstValue("Cache-Control")).hasValue("public, max-age=86400, immutable");
          List<TrackFragment> fragments = Mp4Check.fragments(segment.body());
          assertThat(fragments).as(listed.url()).isNotEmpty();
          assertThat(fragments.get(0).baseDecodeTime()).as("tfdt of " + listed.url()).isEqualTo(listed.time());
          long duration = 0;
          for (TrackFragment fragment : fragments) {
            assertThat(fragment.trackId()).as("the one track of " + listed.url()).isEqualTo(fragments.get(0).trackId());
            duration += fragment.duration();
          }
          assertThat(duration).as("duration of " + listed.url()).isEqualTo(listed.duration());
          if (end != null) {
            assertThat(listed.time()).as("no gap before " + listed.url()).isEqualTo(end);
          }
          end = listed.time() + listed.duration();
          all.write(segment.body());
        }
        Path file = Clients.output("dash-" + (isVideo ? "video" : "audio") + ".mp4");
        Files.write(file, all.toByteArray());
        String decode = "dash-decode-" + (isVideo ? "video" : "audio");
        Ffmpeg.run(decode, List.of("-v", "error", "-xerror", "-i", file.toString(), "-f", "null", "-"), 30);
        assertThat(Ffmpeg.logTail(decode).strip()).as("decode errors of the listed " + file).isEmpty();
      }

      Ffmpeg.awaitSuccess("dash-live-reader", reader, 40);
      FrameHashes read = FrameHashes.parse(hashes);
      assertThat(read.video().size()).as("video packets in 6 s").isGreaterThan(5 * 25);
      FrameHashes.assertContiguous("DASH video", published.video(), read.video());
      FrameHashes.assertContiguous("DASH audio", published.audio(), read.audio());
      Ffmpeg.awaitSuccess("dash-live-debian", debian, 40);
      FrameHashes byDebian = FrameHashes.parse(debianHashes);
      assertThat(byDebian.video().size()).as("ffmpeg 5.1 video packets in 5 s").isGreaterThan(4 * 25);
      FrameHashes.assertContiguous("DASH video, ffmpeg 5.1", published.video(), byDebian.video());
      FrameHashes.assertContiguous("DASH audio, ffmpeg 5.1", published.audio(), byDebian.audio());
      assertThat(vlc.waitFor(40, java.util.concurrent.TimeUnit.SECONDS)).as("VLC done").isTrue();
      List<String> packets = Vlc.receivedPackets("dash-vlc");
      assertThat(packets.stream().filter("video"::equals).count()).as("video packets VLC received in 8 s")
          .isGreaterThan(5 * 25);
      assertThat(packets).as("VLC received audio").contains("audio");

      // The same MPD with the app in the URL; its segment URLs lead to the same files.
      String long1 = Http.get(node.httpUrl("/dash/live/dashtest.mpd")).body();
      Element template = (Element) parse(long1).getElementsByTagName("SegmentTemplate").item(0);
      assertThat(Http.getBytes(node.httpUrl("/dash/live/") + template.getAttribute("initialization")).statusCode())
          .isEqualTo(200);
      assertThat(Http.status(node.httpUrl("/dash/other.mpd"))).isEqualTo(404);
      assertThat(Http.status(node.httpUrl("/dash/dashtest/1-99.m4v"))).isEqualTo(404);
      assertThat(Http.status(node.httpUrl("/dash/dashtest/x-init.m4v"))).isEqualTo(404);
      assertThat(Http.status(node.httpUrl("/dash/a/b/c/d.m4v"))).isEqualTo(404);
      assertThat(Http.status(node.httpUrl("/dash/b%21d.mpd"))).isEqualTo(400);
    }
  }

  @Test
  void aPublisherThatComesBackStartsANewPeriodAndDashCanBeTurnedOff() throws Exception {
    Path media = TestMedia.audioVideo(5, 1);
    try (TestNode node = TestNode.start("--hls.target-duration=1s", "--hls.playlist-length=10")) {
      Process first = processes.own(Clients.publish("dash-period-1", media, node.rtmpUrl("periods")));
      node.awaitPublisher("periods");
      Ffmpeg.awaitSuccess("dash-period-1", first, 30);
      // A gap the wall clock sees: more than the second ffmpeg's first 0.5 s, which it sends at once, made up for
      Thread.sleep(2500);
      processes.own(Clients.publish("dash-period-2", media, node.rtmpUrl("periods")));
      String mpdUrl = node.httpUrl("/dash/periods.mpd");
      Await.until("a second Period", Duration.ofSeconds(20),
          () -> Http.get(mpdUrl).body().split("<Period ", -1).length - 1 == 2);
      String text = Http.get(mpdUrl).body();
      Document mpd = parse(text);
      NodeList periods = mpd.getElementsByTagName("Period");
      Element one = (Element) periods.item(0);
      Element two = (Element) periods.item(1);
      assertThat(one.getAttribute("id")).isNotEqualTo(two.getAttribute("id"));
      double oneStart = seconds(one.getAttribute("start"));
      double twoStart = seconds(two.getAttribute("start"));
      double oneLength = 0;
      Element oneTemplate = (Element) one.getElementsByTagName("SegmentTemplate").item(0);
      for (Listed listed : timeline(oneTemplate)) {
        oneLength += listed.duration() / 90_000.0;
      }
      // The second starts after the first ends, and no sooner than the gap allows.
      assertThat(twoStart).isGreaterThanOrEqualTo(oneStart + oneLength - 0.001);
      assertThat(twoStart - (oneStart + oneLength)).as("the gap between the Periods in " + text).isGreaterThan(1.0);
      // Each Period's presentationTimeOffset is where its first segment is first shown: its time plus the
      // first picture's composition offset (B-frames, two frames here), or the audio's start if that is later.
      Element twoTemplate = (Element) two.getElementsByTagName("SegmentTemplate").item(0);
      long firstTime = timeline(twoTemplate).get(0).time();
      assertThat(Long.parseLong(twoTemplate.getAttribute("presentationTimeOffset")))
          .isBetween(firstTime, firstTime + 90_000 / 5);
    }
    try (TestNode node = TestNode.start("--hls.dash=false")) {
      processes.own(Clients.publishLooping("dash-off", media, node.rtmpUrl("off")));
      node.awaitPublisher("off");
      Await.until("an HLS playlist", Duration.ofSeconds(20),
          () -> Http.status(node.httpUrl("/hls/live/off/ts.m3u8")) == 200);
      assertThat(Http.status(node.httpUrl("/dash/off.mpd"))).isEqualTo(404);
    }
  }

  @Test
  void anAudioOnlyStreamHasOneAdaptationSetThatFfmpegReads() throws Exception {
    // At the default 2 s segments: ffmpeg's DASH demuxer (5.1 to 8) finds its place in a refreshed timeline by
    // the current segment's start rounded down to whole seconds, and with 1 s segments it can land on the one
    // before, which it then reads over and over.
    try (TestNode node = TestNode.start()) {
      processes.own(Clients.publishLooping("dash-radio", TestMedia.audioOnly(10), node.rtmpUrl("radio")));
      node.awaitPublisher("radio");
      String mpdUrl = node.httpUrl("/dash/radio.mpd");
      Await.until("an MPD with two segments", Duration.ofSeconds(20), () -> {
        HttpResponse<String> mpd = Http.get(mpdUrl);
        return mpd.statusCode() == 200
            && timeline((Element) parse(mpd.body()).getElementsByTagName("SegmentTemplate").item(0)).size() >= 2;
      });
      NodeList sets = parse(Http.get(mpdUrl).body()).getElementsByTagName("AdaptationSet");
      assertThat(sets.getLength()).isEqualTo(1);
      assertThat(((Element) sets.item(0)).getAttribute("contentType")).isEqualTo("audio");
      Path hashes = Clients.output("dash-radio.framemd5");
      Ffmpeg.run("dash-radio-reader", List.of("-i", mpdUrl, "-t", "3", "-map", "0", "-c", "copy", "-f", "framemd5",
          "-y", hashes.toString()), 40);
      FrameHashes read = FrameHashes.parse(hashes);
      assertThat(read.video()).isEmpty();
      assertThat(read.audio().size()).as("AAC frames in 3 s").isGreaterThan(100);
      // A sine's AAC frames repeat, so they cannot be placed by their hashes: each is one published, and
      // their decode times follow each other frame by frame (1024 samples), across the segments.
      assertThat(FrameHashes.ofFile(TestMedia.audioOnly(10)).audio()).containsAll(read.audio());
      List<Long> times = Files.readAllLines(hashes).stream().filter(line -> !line.startsWith("#"))
          .map(line -> Long.parseLong(line.split(",")[1].trim())).toList();
      for (int i = 1; i < times.size(); i++) {
        assertThat(times.get(i) - times.get(i - 1)).as("dts step before frame " + i).isEqualTo(1024);
      }
    }
  }

  @Test
  void dashPlayersAreCountedAsViewersOfTheirOwnByTheirMpdReloads() throws Exception {
    try (TestNode node = TestNode.start("--hls-sessions.timeout=4s")) {
      processes.own(Clients.publishLooping("dash-viewers-publisher", TestMedia.audioVideo(20, 1),
          node.rtmpUrl("watched")));
      node.awaitPublisher("watched");
      Await.until("an MPD", Duration.ofSeconds(20), () -> Http.status(node.httpUrl("/dash/watched.mpd")) == 200);
      Process one = processes.own(Ffmpeg.start("dash-viewer-1", List.of("-i",
          node.httpUrl("/dash/watched.mpd?hls_ctx=dash-player-one"), "-c", "copy", "-f", "null", "-")));
      processes.own(Ffmpeg.start("dash-viewer-2", List.of("-i", node.httpUrl("/dash/live/watched.mpd"), "-c", "copy",
          "-f", "null", "-")));
      Await.until("two DASH viewers", Duration.ofSeconds(20), () -> viewers(node, "dash") == 2);
      // Through several MPD reloads each player stays one, counted apart from HLS's.
      long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
      while (System.nanoTime() < until) {
        assertThat(viewers(node, "dash")).isEqualTo(2);
        assertThat(viewers(node, "hls")).isZero();
        assertThat(node.scrape().value("streamedge_players", "protocol", "dash")).isEqualTo(2.0);
        Thread.sleep(500);
      }
      ChildProcesses.stop(one);
      Await.until("one DASH viewer", Duration.ofSeconds(15), () -> viewers(node, "dash") == 1);
      // At least the two (ffmpeg's MPD reloads are irregular at the live edge: a pause past the timeout starts
      // a player's session again).
      assertThat(node.scrape().value("streamedge_dash_sessions_started_total")).isGreaterThanOrEqualTo(2.0);
      assertThat(node.scrape().value("streamedge_hls_sessions_started_total")).isZero();
    }
  }

  private static int viewers(TestNode node, String protocol) throws Exception {
    return new io.vertx.core.json.JsonObject(Http.get(node.httpUrl("/api/v1/streams/live/watched")).body())
        .getJsonObject("viewers").getInteger(protocol);
  }

  private static Document parse(String xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  /** The segments a SegmentTemplate's SegmentTimeline lists (ISO/IEC 23009-1 §5.3.9.6), with their URLs. */
  static List<Listed> timeline(Element template) {
    String media = template.getAttribute("media");
    NodeList entries = template.getElementsByTagName("S");
    List<Listed> listed = new ArrayList<>();
    long time = 0;
    for (int i = 0; i < entries.getLength(); i++) {
      Element s = (Element) entries.item(i);
      if (s.hasAttribute("t")) {
        time = Long.parseLong(s.getAttribute("t"));
      }
      long duration = Long.parseLong(s.getAttribute("d"));
      int repeat = s.hasAttribute("r") ? Integer.parseInt(s.getAttribute("r")) : 0;
      for (int r = 0; r <= repeat; r++) {
        listed.add(new Listed(media.replace("$Time$", Long.toString(time)), time, duration));
        time += duration;
      }
    }
    return listed;
  }

  private static double seconds(String duration) {
    return Duration.parse(duration).toMillis() / 1000.0;
  }
}
