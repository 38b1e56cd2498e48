package dev.streamedge.hls;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A snapshot finds exactly the kept segments, parts and init segments, counts each find as a request
 * to the packager (on-demand packaging goes on), and finds nothing else, which then goes the long way.
 */
@Tag("unit")
class HlsSnapshotTest {

  private final AtomicInteger touches = new AtomicInteger();

  private static HlsSegment segment(long sequence) {
    return new HlsSegment(sequence, 0, false, 2000, 0, Buffer.buffer("ts" + sequence), Buffer.buffer("m4s" + sequence), 7);
  }

  private static HlsPart part(long number) {
    return new HlsPart(number, 100, (int) number % 10, 200, false, Buffer.buffer("part" + number));
  }

  private HlsSnapshot snapshot(List<HlsSegment> segments, List<HlsPart> parts) {
    return new HlsSnapshot(touches::incrementAndGet, segments, parts, Map.of(7L, Buffer.buffer("init")), 3, 2, null);
  }

  private HlsSnapshot after(HlsSnapshot previous, List<HlsSegment> segments) {
    return new HlsSnapshot(touches::incrementAndGet, segments, List.of(), Map.of(), 3, 2, previous);
  }

  @Test
  void findsKeptSegmentsAndPartsByNumberAndCountsEachFindAsARequest() {
    HlsSnapshot snapshot = snapshot(List.of(segment(100), segment(101), segment(102)), List.of(part(1000), part(1001)));

    assertThat(snapshot.segment(101)).map(HlsSegment::sequence).hasValue(101L);
    assertThat(snapshot.segment(102).orElseThrow().data().toString()).isEqualTo("ts102");
    assertThat(snapshot.part(1000).orElseThrow().data().toString()).isEqualTo("part1000");
    assertThat(snapshot.part(1001)).isPresent();
    assertThat(snapshot.init(7).orElseThrow().toString()).isEqualTo("init");
    assertThat(touches).hasValue(5);
  }

  @Test
  void findsNothingOutsideWhatWasKept() {
    HlsSnapshot snapshot = snapshot(List.of(segment(100), segment(101)), List.of(part(1000), part(1001)));

    assertThat(snapshot.segment(99)).isEmpty();
    assertThat(snapshot.segment(102)).isEmpty();
    assertThat(snapshot.segment(Long.MAX_VALUE)).isEmpty();
    assertThat(snapshot.segment(Long.MIN_VALUE)).isEmpty();
    assertThat(snapshot.part(999)).isEmpty();
    assertThat(snapshot.part(1002)).as("the next part: not made yet").isEmpty();
    assertThat(snapshot.init(8)).isEmpty();
    assertThat(snapshot(List.of(), List.of()).segment(100)).isEmpty();
    assertThat(snapshot(List.of(), List.of()).part(1000)).isEmpty();
    assertThat(touches).hasValue(0);
  }

  @Test
  void aGapInTheNumbersIsNotMisread() {
    // Numbers are consecutive as the packager makes them; were one missing, the lookup must not
    // return a neighbour.
    HlsSnapshot snapshot = snapshot(List.of(segment(100), segment(102)), List.of(part(1000), part(1002)));

    assertThat(snapshot.segment(101)).isEmpty();
    assertThat(snapshot.segment(102)).as("beyond the gap, not found by index: the long way finds it").isEmpty();
    assertThat(snapshot.part(1001)).isEmpty();
  }

  @Test
  void rendersTheTsAndFmp4PlaylistsAsTheWindowDoesAndCountsEachAsARequest() {
    List<HlsSegment> kept = List.of(segment(100), segment(101), segment(102), segment(103));
    HlsSnapshot snapshot = snapshot(kept, List.of());

    String ts = snapshot.playlist(HlsVariant.MPEGTS, "name/").orElseThrow().toString();
    assertThat(ts).isEqualTo(MediaPlaylist.render(kept.subList(1, 4), 2, "name/", HlsVariant.MPEGTS))
        .as("the last playlist-length segments").contains("#EXT-X-MEDIA-SEQUENCE:101\n").endsWith("name/103.ts\n");
    assertThat(snapshot.playlist(HlsVariant.FMP4, "").orElseThrow().toString())
        .isEqualTo(MediaPlaylist.render(kept.subList(1, 4), 2, "", HlsVariant.FMP4));
    assertThat(touches).hasValue(2);
  }

  @Test
  void keepsARenderedPlaylistWhileTheSegmentsStayTheSame() {
    List<HlsSegment> kept = List.of(segment(100), segment(101));
    HlsSnapshot first = snapshot(kept, List.of());
    Buffer rendered = first.playlist(HlsVariant.MPEGTS, "").orElseThrow();

    assertThat(first.playlist(HlsVariant.MPEGTS, "").orElseThrow()).isSameAs(rendered);
    HlsSnapshot nextPart = after(first, List.copyOf(kept));
    assertThat(nextPart.playlist(HlsVariant.MPEGTS, "").orElseThrow())
        .as("a part's snapshot lists the same segments: the same bytes, not rendered again").isSameAs(rendered);
    assertThat(nextPart.playlist(HlsVariant.MPEGTS, "x/").orElseThrow()).isNotSameAs(rendered);

    HlsSnapshot nextSegment = after(nextPart, List.of(kept.get(0), kept.get(1), segment(102)));
    assertThat(nextSegment.playlist(HlsVariant.MPEGTS, "").orElseThrow().toString())
        .as("a new segment: rendered again").endsWith("102.ts\n");
    assertThat(nextSegment.playlist(HlsVariant.MPEGTS, "").orElseThrow()).isNotSameAs(rendered);
  }

  @Test
  void keepsOnlyAFewPrefixesRenderingTheRestEachTime() {
    HlsSnapshot snapshot = snapshot(List.of(segment(100)), List.of());
    for (int i = 0; i < HlsSnapshot.MAX_KEPT_PLAYLISTS + 3; i++) {
      String prefix = "p" + i + "/";
      Buffer once = snapshot.playlist(HlsVariant.MPEGTS, prefix).orElseThrow();
      Buffer twice = snapshot.playlist(HlsVariant.MPEGTS, prefix).orElseThrow();
      assertThat(twice.toString()).isEqualTo(once.toString()).contains(prefix + "100.ts");
      if (i < HlsSnapshot.MAX_KEPT_PLAYLISTS) {
        assertThat(twice).isSameAs(once);
      } else {
        assertThat(twice).isNotSameAs(once);
      }
    }
  }

  @Test
  void hasNoPlaylistBeforeASegmentNorForLowLatencyNorTsWithoutTsData() {
    assertThat(snapshot(List.of(), List.of()).playlist(HlsVariant.MPEGTS, "")).isEmpty();
    assertThat(snapshot(List.of(segment(100)), List.of(part(1000))).playlist(HlsVariant.LOW_LATENCY, "")).isEmpty();
    HlsSegment hevc = new HlsSegment(101, 0, false, 2000, 0, Buffer.buffer(), Buffer.buffer("m4s"), 7);
    HlsSnapshot onlyFmp4 = snapshot(List.of(segment(100), hevc), List.of());
    assertThat(onlyFmp4.playlist(HlsVariant.MPEGTS, "")).as("the latest segment has no TS track").isEmpty();
    assertThat(onlyFmp4.playlist(HlsVariant.FMP4, "")).isPresent();
    assertThat(touches).hasValue(1);
  }
}
