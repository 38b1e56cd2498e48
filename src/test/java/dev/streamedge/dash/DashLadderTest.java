package dev.streamedge.dash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.Mp4Check;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A stream with a transcoding ladder has one MPD with every level: the source's Representation and one per
 * rendition in the video AdaptationSet, each with its own init segment and SegmentTimeline on the source's
 * timeline, every listed segment there and decodable after its init at its rendition's size.
 */
@Tag("e2e")
class DashLadderTest {

  @RegisterExtension
  final TestNode node = TestNode.extension("--transcode.apps=live",
      "--transcode.ladder=360p=640x360@800k,180p=320x180@300k", "--transcode.ffmpeg=" + Ffmpeg.DEBIAN_FFMPEG);

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void theMpdOfALadderListsEveryLevelEachOnTheSourcesTimeline() throws Exception {
    processes.own(Clients.publishLooping("dash-ladder-publisher", TestMedia.twoAndAHalfMegabit(20),
        node.rtmpUrl("ladder")));
    node.awaitPublisher("ladder");
    String mpdUrl = node.httpUrl("/dash/ladder.mpd");
    Await.until("an MPD with three video Representations of two segments", Duration.ofSeconds(40), () -> {
      Thread.sleep(200); // the node is busy starting the transcoder
      HttpResponse<String> mpd = Http.get(mpdUrl);
      if (mpd.statusCode() != 200) {
        return false;
      }
      NodeList representations = videoSet(parse(mpd.body())).getElementsByTagName("Representation");
      if (representations.getLength() != 3) {
        return false;
      }
      for (int i = 0; i < representations.getLength(); i++) {
        if (DashPlaybackTest.timeline(template((Element) representations.item(i))).size() < 2) {
          return false;
        }
      }
      return true;
    });
    Document mpd = parse(Http.get(mpdUrl).body());
    assertThat(mpd.getElementsByTagName("Period").getLength()).isEqualTo(1);
    Element video = videoSet(mpd);
    assertThat(video.hasAttribute("segmentAlignment")).as("alignment is not claimed for a ladder").isFalse();
    Map<String, Element> byId = new HashMap<>();
    NodeList representations = video.getElementsByTagName("Representation");
    for (int i = 0; i < representations.getLength(); i++) {
      Element representation = (Element) representations.item(i);
      byId.put(representation.getAttribute("id"), representation);
    }
    assertThat(byId).containsOnlyKeys("video", "360p", "180p");
    assertThat(byId.get("180p").getAttribute("width")).isEqualTo("320");
    assertThat(byId.get("180p").getAttribute("height")).isEqualTo("180");
    assertThat(Long.parseLong(byId.get("180p").getAttribute("bandwidth")))
        .isLessThan(Long.parseLong(byId.get("360p").getAttribute("bandwidth")));
    assertThat(Long.parseLong(byId.get("360p").getAttribute("bandwidth")))
        .isLessThan(Long.parseLong(byId.get("video").getAttribute("bandwidth")));
    // One audio AdaptationSet: the source's.
    assertThat(mpd.getElementsByTagName("AdaptationSet").getLength()).isEqualTo(2);

    String base = node.httpUrl("/dash/");
    String offset = template(byId.get("video")).getAttribute("presentationTimeOffset");
    long sourceStart = DashPlaybackTest.timeline(template(byId.get("video"))).get(0).time();
    for (Map.Entry<String, Element> entry : byId.entrySet()) {
      Element template = template(entry.getValue());
      // The renditions keep the source's timestamps: one offset for all, their segments after the Period's start.
      assertThat(template.getAttribute("presentationTimeOffset")).as(entry.getKey()).isEqualTo(offset);
      assertThat(template.getAttribute("media")).startsWith(entry.getKey().equals("video") ? "ladder/"
          : "ladder_" + entry.getKey() + "/");
      HttpResponse<byte[]> init = Http.getBytes(base + template.getAttribute("initialization"));
      assertThat(init.statusCode()).as(entry.getKey()).isEqualTo(200);
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      all.write(init.body());
      List<DashPlaybackTest.Listed> listed = DashPlaybackTest.timeline(template);
      // The offset is where the source's first picture is shown, a B-frame delay after its decode time.
      assertThat(listed.get(0).time()).as(entry.getKey()).isGreaterThanOrEqualTo(Long.parseLong(offset) - 90_000 / 5);
      for (DashPlaybackTest.Listed segment : listed) {
        HttpResponse<byte[]> media = Http.getBytes(base + segment.url());
        assertThat(media.statusCode()).as(segment.url()).isEqualTo(200);
        assertThat(Mp4Check.fragments(media.body()).get(0).baseDecodeTime()).as(segment.url()).isEqualTo(segment.time());
        all.write(media.body());
      }
      Path file = Clients.output("dash-ladder-" + entry.getKey() + ".mp4");
      Files.write(file, all.toByteArray());
      String probe = "dash-ladder-probe-" + entry.getKey();
      Ffmpeg.awaitSuccess(probe, Ffmpeg.startProbe(probe, List.of("-v", "error", "-show_entries", "stream=width,height",
          "-of", "csv=p=0", file.toString())), 30);
      assertThat(Ffmpeg.logTail(probe).strip()).isEqualTo(entry.getValue().getAttribute("width") + ","
          + entry.getValue().getAttribute("height"));
      String decode = "dash-ladder-decode-" + entry.getKey();
      Ffmpeg.run(decode, List.of("-v", "error", "-xerror", "-i", file.toString(), "-f", "null", "-"), 30);
      assertThat(Ffmpeg.logTail(decode).strip()).as(entry.getKey() + " decode errors").isEmpty();
    }
    // The source's first segment is first shown at the offset: decoded at most a B-frame delay before it.
    assertThat(sourceStart).isBetween(Long.parseLong(offset) - 90_000 / 5, Long.parseLong(offset));
  }

  private static Element videoSet(Document mpd) {
    NodeList sets = mpd.getElementsByTagName("AdaptationSet");
    for (int i = 0; i < sets.getLength(); i++) {
      Element set = (Element) sets.item(i);
      if (set.getAttribute("contentType").equals("video")) {
        return set;
      }
    }
    throw new AssertionError("no video AdaptationSet");
  }

  private static Element template(Element representation) {
    return (Element) representation.getElementsByTagName("SegmentTemplate").item(0);
  }

  private static Document parse(String xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }
}
