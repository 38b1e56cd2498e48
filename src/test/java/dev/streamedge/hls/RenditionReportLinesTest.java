package dev.streamedge.hls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.stream.StreamKey;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The EXT-X-RENDITION-REPORT lines (RFC 8216bis §4.4.5.4) rendered from the siblings' published progress. */
@Tag("unit")
class RenditionReportLinesTest {

  private static final StreamKey SOURCE = new StreamKey("live", "s");
  private static final StreamKey HIGH = new StreamKey("live", "s_720p");
  private static final StreamKey LOW = new StreamKey("live", "s_360p");

  @Test
  void eachSiblingPackagedHereIsReportedWithItsLastSegmentAndPart() {
    RenditionReports reports = new RenditionReports();
    reports.ladder(key -> List.of(SOURCE, HIGH, LOW).stream().filter(k -> !k.equals(key)).toList());
    reports.publish(SOURCE, new RenditionReports.Progress(170000, 3));
    reports.publish(HIGH, new RenditionReports.Progress(170002, 0));
    assertThat(reports.render(LOW, "../")).isEqualTo("""
        #EXT-X-RENDITION-REPORT:URI="../s/ll.m3u8",LAST-MSN=170000,LAST-PART=3
        #EXT-X-RENDITION-REPORT:URI="../s_720p/ll.m3u8",LAST-MSN=170002,LAST-PART=0
        """);
    // LOW is not packaged here: nothing to report of it.
    assertThat(reports.render(SOURCE, "live/")).isEqualTo(
        "#EXT-X-RENDITION-REPORT:URI=\"live/s_720p/ll.m3u8\",LAST-MSN=170002,LAST-PART=0\n");
  }

  @Test
  void aStoppedPackagerIsNoLongerReportedButALaterOneStays() {
    RenditionReports reports = new RenditionReports();
    reports.ladder(key -> key.equals(LOW) ? List.of(HIGH) : List.of(LOW));
    RenditionReports.Progress old = new RenditionReports.Progress(5, 1);
    reports.publish(HIGH, old);
    reports.remove(HIGH, old);
    assertThat(reports.render(LOW, "")).isEmpty();
    RenditionReports.Progress newer = new RenditionReports.Progress(9, 0);
    reports.publish(HIGH, newer);
    reports.remove(HIGH, old);
    assertThat(reports.render(LOW, "")).contains("LAST-MSN=9,LAST-PART=0");
  }

  @Test
  void aStreamOutsideALadderHasNoReports() {
    RenditionReports reports = new RenditionReports();
    reports.publish(HIGH, new RenditionReports.Progress(1, 0));
    assertThat(reports.render(LOW, "")).isEmpty();
  }
}
