package dev.streamedge.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.LlPlaylist;
import dev.streamedge.testing.PlaylistChecker;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * EXT-X-RENDITION-REPORT (RFC 8216bis §4.4.5.4) in the LL-HLS playlists of a ladder made by Debian's
 * ffmpeg: the source's and each rendition's playlist report every sibling, by a URI relative to the
 * playlist that serves the sibling's LL-HLS playlist, with a LAST-MSN/LAST-PART that lies between what the
 * sibling's own playlist showed just before and just after; blocking and delta answers carry them too, and
 * the strict checker accepts every playlist.
 */
@Tag("e2e")
class RenditionReportsTest {

  private static final Pattern REPORT = Pattern.compile(
      "#EXT-X-RENDITION-REPORT:URI=\"([^\"]+)\",LAST-MSN=(\\d+),LAST-PART=(\\d+)");
  private static final List<String> LADDER = List.of("rr", "rr_180p", "rr_120p");

  @RegisterExtension
  static final TestNode node = TestNode.extension("--transcode.apps=live",
      "--transcode.ladder=180p=240x180@300k,120p=160x120@150k", "--transcode.ffmpeg=" + Ffmpeg.DEBIAN_FFMPEG);

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  /** A report: the sibling's playlist URI and its last segment and part. */
  private record Report(String uri, long msn, int part) {
  }

  @Test
  void eachLadderPlaylistReportsItsSiblingsAsTheirOwnPlaylistsShowThem() throws Exception {
    processes.own(Clients.publishLooping("rr-publish", TestMedia.oddGop(16), node.rtmpUrl("rr")));
    Await.until("a master playlist of three LL-HLS variants", Duration.ofSeconds(30), () -> {
      Thread.sleep(200);
      HttpResponse<String> master = Http.get(node.httpUrl("/hls/rr.m3u8"));
      return master.statusCode() == 200 && master.body().split("/ll\\.m3u8\n", -1).length == 4
          && LADDER.stream().allMatch(s -> {
            try {
              return Http.get(node.httpUrl("/hls/live/" + s + "/ll.m3u8")).body().split("RENDITION-REPORT", -1)
                  .length == 3;
            } catch (Exception e) {
              return false;
            }
          });
    });
    Map<String, PlaylistChecker> checkers = new LinkedHashMap<>();
    for (String stream : LADDER) {
      checkers.put(stream, new PlaylistChecker("reports-" + stream));
    }
    int rounds = 0;
    int furthest = 0;
    for (int round = 0; round < 15; round++, rounds++) {
      for (String stream : LADDER) {
        List<String> siblings = LADDER.stream().filter(s -> !s.equals(stream)).toList();
        Map<String, String> before = new LinkedHashMap<>();
        for (String sibling : siblings) {
          before.put(sibling, llPlaylist(sibling, checkers));
        }
        String own = llPlaylist(stream, checkers);
        Map<String, String> after = new LinkedHashMap<>();
        for (String sibling : siblings) {
          after.put(sibling, llPlaylist(sibling, checkers));
        }
        Map<String, Report> reports = reports(own);
        assertThat(reports.keySet()).as(own).containsExactlyInAnyOrderElementsOf(
            siblings.stream().map(s -> "../" + s + "/ll.m3u8").toList());
        for (String sibling : siblings) {
          Report report = reports.get("../" + sibling + "/ll.m3u8");
          List<long[]> parts = parts(LlPlaylist.parse(after.get(sibling)));
          long[] first = last(parts(LlPlaylist.parse(before.get(sibling))));
          int from = indexOf(parts, first[0], (int) first[1]);
          int at = indexOf(parts, report.msn(), report.part());
          assertThat(from).as("%s's last part before, in its playlist after", sibling).isNotNegative();
          assertThat(at).as("%s's report %s in %s's playlist after: %s", stream, report, sibling, after.get(sibling))
              .isBetween(from, parts.size() - 1);
          furthest = Math.max(furthest, parts.size() - 1 - at);
        }
      }
      Thread.sleep(200);
    }
    System.out.printf("%d rounds: every report within its sibling's playlists before and after; at most %d part(s)"
        + " behind the sibling's playlist fetched after it%n", rounds, furthest);

    // The seed URLs of a rendition (LL-HLS by default) report by URIs relative to them, which play.
    for (String seed : List.of("/hls/live/rr_120p.m3u8", "/hls/rr_120p.m3u8")) {
      String text = Http.get(node.httpUrl(seed)).body();
      Map<String, Report> reports = reports(text);
      assertThat(reports).as(text).hasSize(2);
      for (String uri : reports.keySet()) {
        String resolved = URI.create(node.httpUrl(seed)).resolve(uri).toString();
        assertThat(resolved).as(seed + " -> " + uri).matches(".*/hls/live/rr(_180p)?/ll\\.m3u8");
        assertThat(Http.get(resolved).body()).as(resolved).contains("#EXT-X-PART-INF:");
      }
    }

    // A blocking reload for the next part and a delta update carry the reports too.
    String base = node.httpUrl("/hls/live/rr_120p/ll.m3u8");
    LlPlaylist now = LlPlaylist.parse(Http.get(base).body());
    String blocking = Http.get(base + "?" + now.nextPartQuery()).body();
    assertThat(reports(blocking)).as(blocking).hasSize(2);
    checkers.get("rr_120p").add("rr_120p-blocking", blocking);
    String delta = Http.get(base + "?_HLS_skip=YES").body();
    assertThat(reports(delta)).as(delta).hasSize(2);
    checkers.get("rr_120p").add("rr_120p-_HLS_skip=YES", delta);
    for (PlaylistChecker checker : checkers.values()) {
      checker.assertAllValid();
    }
  }

  private static String llPlaylist(String stream, Map<String, PlaylistChecker> checkers) throws Exception {
    HttpResponse<String> r = Http.get(node.httpUrl("/hls/live/" + stream + "/ll.m3u8"));
    assertThat(r.statusCode()).as(stream).isEqualTo(200);
    checkers.get(stream).add(stream, r.body());
    return r.body();
  }

  private static Map<String, Report> reports(String playlist) {
    Map<String, Report> reports = new LinkedHashMap<>();
    for (String line : playlist.split("\n")) {
      if (line.startsWith("#EXT-X-RENDITION-REPORT:")) {
        Matcher m = REPORT.matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        reports.put(m.group(1), new Report(m.group(1), Long.parseLong(m.group(2)), Integer.parseInt(m.group(3))));
      }
    }
    return reports;
  }

  /** Every listed part as {msn, index in its segment}, oldest first. */
  private static List<long[]> parts(LlPlaylist playlist) {
    List<long[]> parts = new ArrayList<>();
    for (LlPlaylist.Segment segment : playlist.segments()) {
      for (int i = 0; i < segment.parts().size(); i++) {
        parts.add(new long[] {segment.msn(), i});
      }
    }
    for (int i = 0; i < playlist.openParts().size(); i++) {
      parts.add(new long[] {playlist.openMsn(), i});
    }
    return parts;
  }

  private static long[] last(List<long[]> parts) {
    assertThat(parts).isNotEmpty();
    return parts.get(parts.size() - 1);
  }

  private static int indexOf(List<long[]> parts, long msn, int part) {
    for (int i = 0; i < parts.size(); i++) {
      if (parts.get(i)[0] == msn && parts.get(i)[1] == part) {
        return i;
      }
    }
    return -1;
  }
}
