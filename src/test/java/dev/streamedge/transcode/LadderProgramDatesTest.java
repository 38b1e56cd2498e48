package dev.streamedge.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RFC 8216 §6.2.4: the playlists of one master playlist map dates to media timestamps alike. Debian's
 * ffmpeg makes two renditions of a source with a keyframe every second, with the source's timestamps, and
 * they reach the packager later than the source; still, each segment of a rendition carries the
 * EXT-X-PROGRAM-DATE-TIME of the source's segment that starts at the same keyframe. (Dated by arrival, they
 * were about 170 ms apart, and hls.js, which switches levels by date, fetched parts that left a hole.)
 */
@Tag("e2e")
class LadderProgramDatesTest {

  private static final Pattern DATE = Pattern.compile("#EXT-X-PROGRAM-DATE-TIME:(\\S+)");
  private static final List<String> RENDITIONS = List.of("pd_360p", "pd_180p");

  @RegisterExtension
  static final TestNode node = TestNode.extension("--transcode.apps=live",
      "--transcode.ladder=360p=640x360@800k,180p=320x180@300k", "--transcode.ffmpeg=" + Ffmpeg.DEBIAN_FFMPEG,
      "--hls.target-duration=1s");

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void everyRenditionDatesASegmentAsTheSourceDatesTheSameKeyframe() throws Exception {
    processes.own(Clients.publishLooping("pd-publish", TestMedia.audioVideo(20, 1), node.rtmpUrl("pd")));
    Await.until("four segments in every playlist of the ladder", Duration.ofSeconds(30),
        () -> dates("pd").size() >= 4 && RENDITIONS.stream().allMatch(r -> dates(r).size() >= 4));
    for (String rendition : RENDITIONS) {
      TreeSet<Instant> source = dates("pd");
      TreeSet<Instant> own = dates(rendition);
      // The segments both playlists list: the rendition's may end a segment or so later or earlier.
      Set<Instant> shared = own.subSet(source.first(), true, source.last(), true);
      assertThat(shared).as(rendition + " " + own + " against the source's " + source).hasSizeGreaterThanOrEqualTo(2);
      assertThat(source).as(rendition + "'s dates " + own).containsAll(shared);
    }
  }

  private static TreeSet<Instant> dates(String name) {
    TreeSet<Instant> out = new TreeSet<>();
    try {
      var response = Http.get(node.httpUrl("/hls/live/" + name + "/ll.m3u8"));
      if (response.statusCode() != 200) {
        return out;
      }
      Matcher m = DATE.matcher(response.body());
      while (m.find()) {
        out.add(Instant.parse(m.group(1)));
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return out;
  }
}
