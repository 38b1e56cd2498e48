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
    return new HlsSnapshot(touches::incrementAndGet, segments, parts, Map.of(7L, Buffer.buffer("init")));
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
}
