package dev.streamedge.rtp.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class DecodeTimesTest {

  /** An unwrapped RTP timestamp somewhere in a stream: the times need not start at 0. */
  private static final long BASE = 7_654_321L;
  /**
   * PTS in decoding order of ffmpeg 8.0.1's default libx264 (bframes 3, b-pyramid normal, 25 fps),
   * from its MPEG-TS output, less the first: I P B b b, the middle B a reference.
   */
  private static final long[] X264_PYRAMID = {0, 14400, 7200, 3600, 10800, 28800, 21600, 18000, 25200,
      43200, 36000, 32400, 39600, 57600, 50400, 46800, 54000};
  /** The same with -x264-params b-pyramid=none: I P B B. */
  private static final long[] X264_NO_PYRAMID = {0, 10800, 3600, 7200, 18000, 14400, 28800, 21600, 25200,
      39600, 32400, 36000, 46800, 43200};

  @Test
  void x264PyramidWithDepthTwoGivesExactDts() {
    Recorder out = new Recorder();
    DecodeTimes<Integer> times = new DecodeTimes<>(2, 16, out);
    times.frame(BASE + X264_PYRAMID[0], 0);
    times.frame(BASE + X264_PYRAMID[1], 1);
    assertThat(out.dts).as("the first two are held").isEmpty();
    for (int i = 2; i < X264_PYRAMID.length; i++) {
      times.frame(BASE + X264_PYRAMID[i], i);
      assertThat(out.dts).hasSize(i + 1);
    }
    // From the third frame on this is the DTS x264 gave ffmpeg; the first two are spaced by
    // (14400 - 0) / 2 below the third's.
    assertThat(relative(out.dts)).containsExactly(longs(-14400, -7200, 0, 3600, 7200, 10800, 14400, 18000,
        21600, 25200, 28800, 32400, 36000, 39600, 43200, 46800, 50400));
    assertThat(relative(out.pts)).containsExactly(longs(X264_PYRAMID));
    assertThat(out.frames).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
    assertThat(times.reordered()).isZero();
    assertThat(times.depth()).isEqualTo(2);
  }

  @Test
  void x264WithoutPyramidWithDepthOneGivesExactDts() {
    Recorder out = new Recorder();
    DecodeTimes<Integer> times = new DecodeTimes<>(1, 16, out);
    feed(times, X264_NO_PYRAMID);
    assertThat(relative(out.dts)).containsExactly(longs(-10800, 0, 3600, 7200, 10800, 14400, 18000, 21600,
        25200, 28800, 32400, 36000, 39600, 43200));
    assertThat(times.reordered()).isZero();
  }

  @Test
  void noBFramesWithDepthZeroGiveDtsEqualToPtsWithoutHold() {
    Recorder out = new Recorder();
    DecodeTimes<Integer> times = new DecodeTimes<>(0, 16, out);
    for (int i = 0; i < 50; i++) {
      times.frame(BASE + i * 3003L, i);
      assertThat(out.dts).hasSize(i + 1);
      assertThat(out.dts.get(i)).isEqualTo(BASE + i * 3003L);
    }
    assertThat(out.pts).isEqualTo(out.dts);
    assertThat(times.reordered()).isZero();
  }

  @Test
  void underestimatedDepthGrowsAndStaysMonotonic() {
    Recorder out = new Recorder();
    DecodeTimes<Integer> times = new DecodeTimes<>(0, 16, out);
    for (int i = 0; i < X264_PYRAMID.length; i++) {
      times.frame(BASE + X264_PYRAMID[i], i);
      assertThat(out.dts).as("nothing is held").hasSize(i + 1);
    }
    assertStrictlyIncreasing(out.dts);
    assertThat(times.depth()).isEqualTo(2);
    // The B, the first b (each showing a deeper reordering) and the second b (its DTS held
    // above the last) get a DTS above their PTS; from the eighth frame on the times are exact.
    assertThat(times.reordered()).isEqualTo(3);
    assertThat(relative(out.dts).subList(0, 3)).containsExactly(longs(0, 14400, 14401));
    assertThat(relative(out.dts).subList(7, 17)).containsExactly(longs(18000, 21600, 25200, 28800, 32400,
        36000, 39600, 43200, 46800, 50400));
  }

  @Test
  void maxDepthBoundsTheGrowth() {
    Recorder out = new Recorder();
    DecodeTimes<Integer> times = new DecodeTimes<>(0, 1, out);
    feed(times, X264_PYRAMID);
    assertThat(times.depth()).isEqualTo(1);
    assertStrictlyIncreasing(out.dts);
    assertThat(out.dts).hasSize(X264_PYRAMID.length);
  }

  @Test
  void forwardDiscontinuityStartsANewTimelineAtOnce() {
    Recorder out = new Recorder();
    DecodeTimes<Integer> times = new DecodeTimes<>(2, 16, out);
    long hour = 3600 * 90_000L;
    feed(times, X264_PYRAMID);
    for (int i = 0; i < X264_PYRAMID.length; i++) {
      times.frame(BASE + hour + X264_PYRAMID[i], 100 + i);
    }
    assertThat(out.dts).hasSize(2 * X264_PYRAMID.length);
    assertStrictlyIncreasing(out.dts);
    // The first frames of either timeline: x264's P four frames ahead has 18000; the start's
    // estimate of the frame duration from the first three frames makes the first P's 21600.
    for (int i = 0; i < out.dts.size(); i++) {
      assertThat(out.pts.get(i) - out.dts.get(i)).as("composition offset %d", i).isBetween(0L, 6 * 3600L);
    }
    assertThat(times.shift()).isZero();
    assertThat(times.reordered()).isZero();
  }

  @Test
  void backwardDiscontinuityShiftsTheNewTimelineAfterTheLastDts() {
    Recorder out = new Recorder();
    DecodeTimes<Integer> times = new DecodeTimes<>(2, 16, out);
    feed(times, X264_PYRAMID);
    long lastDts = out.dts.get(out.dts.size() - 1);
    for (int i = 0; i < X264_PYRAMID.length; i++) {
      times.frame(X264_PYRAMID[i], 100 + i); // the encoder restarted at 0
    }
    assertStrictlyIncreasing(out.dts);
    assertThat(times.shift()).isPositive();
    int first = X264_PYRAMID.length;
    assertThat(out.dts.get(first) - lastDts).isBetween(1L, 5 * 3600L);
    for (int i = first; i < out.dts.size(); i++) {
      assertThat(out.pts.get(i)).isEqualTo(X264_PYRAMID[i - first] + times.shift());
      assertThat(out.pts.get(i) - out.dts.get(i)).as("composition offset %d", i).isBetween(0L, 5 * 3600L);
    }
    assertThat(times.reordered()).isZero();
  }

  @Test
  void ptsBelowEveryKeptValueIsANewTimelineToo() {
    Recorder out = new Recorder();
    DecodeTimes<Integer> times = new DecodeTimes<>(0, 2, out);
    feed(times, new long[] {0, 3600, 7200, 10800, 3000, 6600});
    assertStrictlyIncreasing(out.dts);
    assertThat(times.shift()).isEqualTo(10800 + 3600 - 3000);
    assertThat(relative(out.pts)).containsExactly(longs(0, 3600, 7200, 10800, 14400, 18000));
    assertThat(out.pts).isEqualTo(out.dts);
  }

  @Test
  void flushEmitsHeldFrames() {
    Recorder out = new Recorder();
    DecodeTimes<Integer> times = new DecodeTimes<>(3, 16, out);
    times.frame(BASE + 7200, 0);
    times.frame(BASE, 1);
    assertThat(out.dts).isEmpty();
    times.flush();
    assertThat(out.frames).containsExactly(0, 1);
    assertThat(relative(out.dts)).containsExactly(longs(-7200, 0));
    times.frame(BASE + 3600, 2);
    assertThat(out.frames).as("no hold after a flush").containsExactly(0, 1, 2);
    assertStrictlyIncreasing(out.dts);
    times.flush();
    assertThat(out.frames).hasSize(3);
  }

  @Test
  void aSmallerDepthReleasesHeldFramesAndChangesKeepDtsMonotonic() {
    Recorder out = new Recorder();
    DecodeTimes<Integer> times = new DecodeTimes<>(4, 16, out);
    times.frame(BASE, 0);
    times.frame(BASE + 3600, 1);
    times.depth(1);
    assertThat(out.frames).containsExactly(0, 1);
    for (int i = 2; i < 40; i++) {
      times.depth(i % 7 == 0 ? 0 : i % 5);
      times.frame(BASE + i * 3600L, i);
    }
    assertThat(out.frames).hasSize(40);
    assertStrictlyIncreasing(out.dts);
    for (int i = 0; i < 40; i++) {
      assertThat(out.dts.get(i)).isLessThanOrEqualTo(out.pts.get(i));
    }
    times.depth(99);
    assertThat(times.depth()).isEqualTo(16);
  }

  @Test
  void wrongArgumentsAreRefused() {
    Recorder out = new Recorder();
    assertThatThrownBy(() -> new DecodeTimes<>(0, -1, out)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DecodeTimes<>(-1, 16, out)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new DecodeTimes<>(20, 16, out).depth()).isEqualTo(16);
  }

  private static void feed(DecodeTimes<Integer> times, long[] pts) {
    for (int i = 0; i < pts.length; i++) {
      times.frame(BASE + pts[i], i);
    }
  }

  private static List<Long> relative(List<Long> times) {
    return times.stream().map(t -> t - BASE).toList();
  }

  static void assertStrictlyIncreasing(List<Long> dts) {
    for (int i = 1; i < dts.size(); i++) {
      assertThat(dts.get(i)).as("DTS %d after %d", i, dts.get(i - 1)).isGreaterThan(dts.get(i - 1));
    }
  }

  /** Keeps what the sink got. */
  static final class Recorder implements DecodeTimes.Sink<Integer> {
    final List<Long> dts = new ArrayList<>();
    final List<Long> pts = new ArrayList<>();
    final List<Integer> frames = new ArrayList<>();

    @Override
    public void frame(long dts, long pts, Integer frame) {
      this.dts.add(dts);
      this.pts.add(pts);
      this.frames.add(frame);
    }
  }

  static Long[] longs(long... values) {
    return LongStream.of(values).boxed().toArray(Long[]::new);
  }
}
