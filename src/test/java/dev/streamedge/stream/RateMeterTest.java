package dev.streamedge.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.stream.StreamInfo.Rates;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class RateMeterTest {

  private static final long SECOND = 1_000_000_000L;
  /** Any start: nanoTime may be negative, and a stream starts in the middle of a second. */
  private static final long START = -7 * SECOND + 123_456_789L;

  @Test
  void countsFramesAndBitsPerSecondOverTheLastFiveWholeSeconds() {
    RateMeter meter = new RateMeter();
    long now = feed(meter, START, 8, 25, 4_000);

    Rates rates = meter.read(now);
    assertThat(rates.seconds()).isEqualTo(RateMeter.WINDOW_SECONDS);
    assertThat(rates.fps()).isEqualTo(25.0);
    assertThat(rates.bitsPerSecond()).isEqualTo(25 * 4_000 * 8);
  }

  @Test
  void readsNothingBeforeTheFirstWholeSecondAndThenOnlyWholeSeconds() {
    RateMeter meter = new RateMeter();
    assertThat(meter.read(START)).isEqualTo(new Rates(0, 0, 0, 0));

    long now = feed(meter, START, 1, 25, 1_000);
    assertThat(meter.read(now).seconds()).as("the first, partial second is never read").isZero();

    now = feed(meter, now, 2, 25, 1_000);
    Rates rates = meter.read(now);
    assertThat(rates.seconds()).isBetween(1, 2);
    assertThat(rates.fps()).isEqualTo(25.0);
  }

  @Test
  void aStreamThatStopsSendingReadsZeroOnceItsSecondsLeftTheWindow() {
    RateMeter meter = new RateMeter();
    long now = feed(meter, START, 8, 25, 1_000);

    // It stopped a little into a second: of the five seconds read, one is silent and one nearly so.
    assertThat(meter.read(now + 2 * SECOND).fps()).as("fps after two seconds of silence").isBetween(12.0, 16.0);
    assertThat(meter.read(now + 7 * SECOND)).isEqualTo(new Rates(0, 0, 5, 0));
    assertThat(meter.read(now + 1_000 * SECOND)).isEqualTo(new Rates(0, 0, 5, 0));
  }

  @Test
  void audioCountsInTheBitRateButNotInTheFrameRateNorTheVideoBitRate() {
    RateMeter meter = new RateMeter();
    long now = START;
    for (int i = 0; i < 7 * 50; i++) {
      now += SECOND / 50;
      meter.add(now, i % 2 == 0 ? 1 : 0, 500, i % 2 == 0);
    }
    Rates rates = meter.read(now);
    assertThat(rates.fps()).isEqualTo(25.0);
    assertThat(rates.bitsPerSecond()).isEqualTo(50 * 500 * 8);
    assertThat(rates.videoBitsPerSecond()).as("the video part").isEqualTo(25 * 500 * 8);
  }

  @Test
  void resetStartsANewMeasurement() {
    RateMeter meter = new RateMeter();
    long now = feed(meter, START, 8, 25, 1_000);
    meter.reset();
    assertThat(meter.read(now)).isEqualTo(new Rates(0, 0, 0, 0));

    now = feed(meter, now, 8, 30, 1_000);
    assertThat(meter.read(now).fps()).isEqualTo(30.0);
  }

  /** Feeds {@code seconds} of {@code fps} video frames of {@code bytes} each, evenly; returns the time after. */
  private static long feed(RateMeter meter, long from, int seconds, int fps, int bytes) {
    long now = from;
    for (int i = 0; i < seconds * fps; i++) {
      now += SECOND / fps;
      meter.add(now, 1, bytes, true);
    }
    return now;
  }
}
