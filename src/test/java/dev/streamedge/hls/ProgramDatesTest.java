package dev.streamedge.hls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.stream.StreamKey;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The members of a ladder date a frame with the same timestamp alike, however late each receives it. */
@Tag("unit")
class ProgramDatesTest {

  private static final StreamKey SOURCE = new StreamKey("live", "s");
  private static final StreamKey LOW = new StreamKey("live", "s_360p");
  private static final StreamKey LOWER = new StreamKey("live", "s_180p");
  private static final List<StreamKey> LADDER = List.of(SOURCE, LOW, LOWER);

  private final ProgramDates dates = new ProgramDates();

  ProgramDatesTest() {
    dates.ladder(key -> LADDER.stream().filter(k -> !k.equals(key)).toList());
  }

  @Test
  void aRenditionThatArrivesLaterDatesItsFramesAsTheSourceDid() {
    ProgramDates.Clock source = dates.acquire(SOURCE);
    ProgramDates.Clock rendition = dates.acquire(LOW);
    assertThat(source.dateOf(5_000, 1_000_000)).isEqualTo(1_000_000);
    assertThat(source.dateOf(6_000, 1_001_030)).isEqualTo(1_001_000);
    // The rendition's frames come 180 ms after the source's, with the source's timestamps.
    assertThat(rendition.dateOf(5_000, 1_000_180)).isEqualTo(1_000_000);
    assertThat(rendition.dateOf(7_000, 1_002_400)).isEqualTo(1_002_000);
  }

  @Test
  void aSourcePackagedAfterItsRenditionMovesTheAnchorToItsEarlierArrival() {
    ProgramDates.Clock rendition = dates.acquire(LOWER);
    ProgramDates.Clock source = dates.acquire(SOURCE);
    assertThat(rendition.dateOf(5_000, 1_000_400)).isEqualTo(1_000_400);
    assertThat(source.dateOf(6_000, 1_001_000)).isEqualTo(1_001_000);
    assertThat(rendition.dateOf(6_000, 1_001_400)).isEqualTo(1_001_000);
  }

  @Test
  void timestampsThatRestartOrDriftFarFromTheWallClockGetANewAnchor() {
    ProgramDates.Clock source = dates.acquire(SOURCE);
    source.dateOf(90_000, 1_000_000);
    // A new publisher session: timestamps start again at 0.
    assertThat(source.dateOf(0, 1_005_000)).isEqualTo(1_005_000);
    assertThat(source.dateOf(1_000, 1_006_000)).isEqualTo(1_006_000);
    // Slow drift within the bound keeps the mapping; beyond it, the anchor moves.
    assertThat(source.dateOf(2_000, 1_007_000 + ProgramDates.LATE_MILLIS)).isEqualTo(1_007_000);
    assertThat(source.dateOf(3_000, 1_008_001 + ProgramDates.LATE_MILLIS))
        .isEqualTo(1_008_001 + ProgramDates.LATE_MILLIS);
  }

  @Test
  void aStreamWithoutALadderHasItsOwnAnchor() {
    ProgramDates alone = new ProgramDates();
    ProgramDates.Clock a = alone.acquire(SOURCE);
    ProgramDates.Clock b = alone.acquire(LOW);
    a.dateOf(5_000, 1_000_000);
    assertThat(b.dateOf(5_000, 1_000_180)).isEqualTo(1_000_180);
  }

  @Test
  void theAnchorGoesWithTheLaddersLastPackager() {
    ProgramDates.Clock source = dates.acquire(SOURCE);
    ProgramDates.Clock rendition = dates.acquire(LOW);
    source.dateOf(5_000, 1_000_000);
    source.release();
    source.release();
    assertThat(dates.size()).isEqualTo(1);
    assertThat(rendition.dateOf(5_000, 1_000_180)).isEqualTo(1_000_000);
    rendition.release();
    assertThat(dates.size()).isZero();
    // A new packager of the ladder starts afresh.
    assertThat(dates.acquire(LOW).dateOf(5_000, 2_000_000)).isEqualTo(2_000_000);
  }
}
