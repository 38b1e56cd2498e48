package dev.streamedge.dash;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Where each Period of a packager's MPD starts: on the wall clock, never overlapping the one before. */
@Tag("unit")
class DashPeriodsTest {

  private static final DashRun RUN = new DashRun(100, Buffer.buffer("v"), "avc1.64001f", 1280, 720,
      Buffer.buffer("a"), "mp4a.40.2", 48_000, 2);

  private static DashTrack video(long startMillis, long millis) {
    return new DashTrack(Buffer.buffer(), startMillis * 90, millis * 90);
  }

  private static DashTrack audio(long startMillis, long millis) {
    return new DashTrack(Buffer.buffer(), startMillis * 48, millis * 48);
  }

  @Test
  void theFirstSegmentAnchorsTheMpdAndItsRunStaysInOnePeriod() {
    DashPeriods periods = new DashPeriods();
    DashPeriod first = periods.periodOf(7, RUN, false, 1_000_000, video(5000, 2000), audio(4990, 2000));
    assertThat(first).isEqualTo(new DashPeriod(7, 1_000_000, 0, 5000 * 90, 5000 * 48));
    assertThat(periods.periodOf(8, RUN, false, 1_002_000, video(7000, 2000), audio(6990, 2000))).isSameAs(first);
    assertThat(periods.periodOf(9, RUN, false, 1_009_000, video(9000, 2000), audio(8990, 2000)))
        .as("a late segment without a discontinuity is the same run").isSameAs(first);
  }

  @Test
  void aGapStartsAPeriodAtItsWallClockAndANewRunAtTheEndOfTheLastAtTheEarliest() {
    DashPeriods periods = new DashPeriods();
    periods.periodOf(1, RUN, false, 1_000_000, video(0, 2000), null);
    periods.periodOf(2, RUN, false, 1_002_000, video(2000, 2000), null);
    // The publisher left at 4 s of media and came back 3 s later; its timeline goes on at 4 s.
    DashPeriod second = periods.periodOf(3, RUN, true, 1_007_000, video(4000, 2000), null);
    assertThat(second).isEqualTo(new DashPeriod(3, 1_000_000, 7000, 4000 * 90, 4000 * 48));
    // New codec configurations with no gap, dated a little before the last Period ends: it starts at that end.
    DashRun other = new DashRun(4, null, null, 0, 0, Buffer.buffer("a"), "opus", 48_000, 2);
    DashPeriod third = periods.periodOf(4, other, false, 1_008_900, null, audio(6000, 2000));
    assertThat(third).isEqualTo(new DashPeriod(4, 1_000_000, 9000, 0, 6000 * 48));
  }

  @Test
  void aPeriodStartsWhereEveryTrackHasSomethingToShow() {
    // B-frames: the first keyframe is decoded at 0 and shown at 80 ms; the audio starts at 57 ms.
    DashTrack video = new DashTrack(Buffer.buffer(), 0, 2000 * 90, 80 * 90);
    DashPeriod first = new DashPeriods().periodOf(1, RUN, false, 1_000_000, video, audio(57, 2000));
    assertThat(first).isEqualTo(new DashPeriod(1, 1_000_000, 0, 80 * 90, 80 * 48));
    // Audio that starts after the video's first picture: the Period starts with the audio.
    DashPeriod later = new DashPeriods().periodOf(1, RUN, false, 1_000_000, video, audio(100, 2000));
    assertThat(later).isEqualTo(new DashPeriod(1, 1_000_000, 0, 100 * 90, 100 * 48));
  }
}
