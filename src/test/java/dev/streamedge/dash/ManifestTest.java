package dev.streamedge.dash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The dynamic MPD, character for character: Periods, AdaptationSets, SegmentTimelines and the clock. */
@Tag("unit")
class ManifestTest {

  private static final DashRun AV = new DashRun(500, Buffer.buffer("v"), "avc1.64001f", 1280, 720,
      Buffer.buffer("a"), "mp4a.40.2", 48_000, 2);
  private static final DashRun AUDIO = new DashRun(700, null, null, 0, 0, Buffer.buffer("a"), "opus", 48_000, 2);

  private static DashTrack track(int bytes, long start, long duration) {
    return new DashTrack(Buffer.buffer(new byte[bytes]), start, duration);
  }

  @Test
  void aPeriodPerRunEachTrackAloneWithRepeatsAndGapsInItsTimeline() {
    DashPeriod one = new DashPeriod(500, 1_796_000_000_000L, 0, 180_000, 96_000);
    DashPeriod two = new DashPeriod(700, 1_796_000_000_000L, 9500, 0, 480_000);
    List<DashSegment> listed = List.of(
        new DashSegment(500, AV, one, track(50_000, 180_000, 180_000), track(24_000, 95_000, 96_256)),
        new DashSegment(501, AV, one, track(25_000, 360_000, 180_000), track(24_000, 191_256, 95_744)),
        new DashSegment(502, AV, one, track(25_000, 540_000, 180_000), null),
        new DashSegment(503, AV, one, track(25_000, 720_000, 90_000), track(24_000, 383_000, 96_000)),
        new DashSegment(700, AUDIO, two, null, track(12_000, 480_000, 96_000)));
    String mpd = Manifest.render(listed, 2, "my&key/", 1_796_000_012_000L) + Manifest.closing(1_796_000_012_345L);
    assertThat(mpd).isEqualTo("""
        <?xml version="1.0" encoding="UTF-8"?>
        <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-live:2011" \
        type="dynamic" availabilityStartTime="2026-11-30T00:53:20Z" publishTime="2026-11-30T00:53:32Z" \
        minimumUpdatePeriod="PT2.000S" minBufferTime="PT2.000S" timeShiftBufferDepth="PT9.000S" \
        maxSegmentDuration="PT2.000S" suggestedPresentationDelay="PT6.000S">
          <Period id="500" start="PT0.000S">
            <AdaptationSet id="0" contentType="video" mimeType="video/mp4" segmentAlignment="true" startWithSAP="1">
              <Representation id="video" codecs="avc1.64001f" width="1280" height="720" bandwidth="200000">
                <SegmentTemplate timescale="90000" presentationTimeOffset="180000" \
        initialization="my&amp;key/500-init.m4v" media="my&amp;key/500-$Time$.m4v">
                  <SegmentTimeline>
                    <S t="180000" d="180000" r="2"/>
                    <S d="90000"/>
                  </SegmentTimeline>
                </SegmentTemplate>
              </Representation>
            </AdaptationSet>
            <AdaptationSet id="1" contentType="audio" mimeType="audio/mp4" segmentAlignment="true" startWithSAP="1">
              <Representation id="audio" codecs="mp4a.40.2" audioSamplingRate="48000" bandwidth="96256">
                <AudioChannelConfiguration schemeIdUri="urn:mpeg:dash:23003:3:audio_channel_configuration:2011" \
        value="2"/>
                <SegmentTemplate timescale="48000" presentationTimeOffset="96000" \
        initialization="my&amp;key/500-init.m4a" media="my&amp;key/500-$Time$.m4a">
                  <SegmentTimeline>
                    <S t="95000" d="96256"/>
                    <S d="95744"/>
                    <S t="383000" d="96000"/>
                  </SegmentTimeline>
                </SegmentTemplate>
              </Representation>
            </AdaptationSet>
          </Period>
          <Period id="700" start="PT9.500S">
            <AdaptationSet id="1" contentType="audio" mimeType="audio/mp4" segmentAlignment="true" startWithSAP="1">
              <Representation id="audio" codecs="opus" audioSamplingRate="48000" bandwidth="48000">
                <AudioChannelConfiguration schemeIdUri="urn:mpeg:dash:23003:3:audio_channel_configuration:2011" \
        value="2"/>
                <SegmentTemplate timescale="48000" presentationTimeOffset="480000" \
        initialization="my&amp;key/700-init.m4a" media="my&amp;key/700-$Time$.m4a">
                  <SegmentTimeline>
                    <S t="480000" d="96000"/>
                  </SegmentTimeline>
                </SegmentTemplate>
              </Representation>
            </AdaptationSet>
          </Period>
          <UTCTiming schemeIdUri="urn:mpeg:dash:utc:direct:2014" value="2026-11-30T00:53:32.345Z"/>
        </MPD>
        """);
  }

  @Test
  void aLadderHasEveryLevelInThePeriodItsSegmentsStartIn() {
    DashPeriod one = new DashPeriod(500, 1_796_000_000_000L, 0, 180_000, 96_000);
    DashPeriod two = new DashPeriod(502, 1_796_000_000_000L, 6000, 540_000, 288_000);
    List<DashSegment> source = List.of(
        new DashSegment(500, AV, one, track(50_000, 180_000, 180_000), track(24_000, 96_000, 96_000)),
        new DashSegment(501, AV, one, track(50_000, 360_000, 180_000), track(24_000, 192_000, 96_000)),
        new DashSegment(502, AV, two, track(50_000, 540_000, 180_000), track(24_000, 288_000, 96_000)));
    DashRun small = new DashRun(900, Buffer.buffer("v"), "avc1.42c00d", 320, 180, Buffer.buffer("a"), "mp4a.40.2",
        48_000, 2);
    DashRun smallAgain = new DashRun(903, Buffer.buffer("v"), "avc1.42c00d", 320, 180, Buffer.buffer("a"),
        "mp4a.40.2", 48_000, 2);
    DashPeriod own = new DashPeriod(900, 1_796_000_000_500L, 0, 0, 0);
    // The rendition started a GOP late, and its transcoder again in the second Period (a new run).
    List<DashSegment> rendition = List.of(
        new DashSegment(900, small, own, track(10_000, 270_000, 180_000), null),
        new DashSegment(901, small, own, track(5_000, 450_000, 90_000), null),
        new DashSegment(902, small, own, track(5_000, 540_000, 90_000), null),
        new DashSegment(903, smallAgain, own, track(10_000, 630_000, 180_000), null));
    String mpd = Manifest.render(source, List.of(new Manifest.Rendition("180p", "k_180p/", rendition)), 2, "k/",
        1_796_000_012_000L);
    assertThat(mpd).contains("""
          <Period id="500" start="PT0.000S">
            <AdaptationSet id="0" contentType="video" mimeType="video/mp4" startWithSAP="1">
              <Representation id="video" codecs="avc1.64001f" width="1280" height="720" bandwidth="200000">
                <SegmentTemplate timescale="90000" presentationTimeOffset="180000" \
        initialization="k/500-init.m4v" media="k/500-$Time$.m4v">
                  <SegmentTimeline>
                    <S t="180000" d="180000" r="1"/>
                  </SegmentTimeline>
                </SegmentTemplate>
              </Representation>
              <Representation id="180p" codecs="avc1.42c00d" width="320" height="180" bandwidth="40000">
                <SegmentTemplate timescale="90000" presentationTimeOffset="180000" \
        initialization="k_180p/900-init.m4v" media="k_180p/900-$Time$.m4v">
                  <SegmentTimeline>
                    <S t="270000" d="180000"/>
                    <S d="90000"/>
                  </SegmentTimeline>
                </SegmentTemplate>
              </Representation>
            </AdaptationSet>
        """);
    // In the second Period only the rendition's last run is listed: one SegmentTemplate per Representation.
    assertThat(mpd.substring(mpd.indexOf("<Period id=\"502\""))).contains("""
              <Representation id="180p" codecs="avc1.42c00d" width="320" height="180" bandwidth="40000">
                <SegmentTemplate timescale="90000" presentationTimeOffset="540000" \
        initialization="k_180p/903-init.m4v" media="k_180p/903-$Time$.m4v">
                  <SegmentTimeline>
                    <S t="630000" d="180000"/>
                  </SegmentTimeline>
        """).doesNotContain("902-");
    // The audio is the source's alone.
    assertThat(mpd.split("contentType=\"audio\"", -1)).hasSize(3);
  }

  @Test
  void anEmptyListHasNoMpd() {
    assertThatThrownBy(() -> Manifest.render(List.of(), 2, "", 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
