package dev.streamedge.rtp.receive;

import static dev.streamedge.rtp.receive.DecodeTimesTest.assertStrictlyIncreasing;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.rtp.receive.DecodeTimesTest.Recorder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Random GOP structures (mini-GOPs of up to 8 frames whose anchor comes first, the frames between
 * in order, hierarchically or shuffled; the stream may open with leading frames), random frame
 * durations and depths.
 */
@Tag("unit")
class DecodeTimesPropertyTest {

  private static final int SEEDS = 400;
  private static final int MAX_DEPTH = 16;

  @Test
  void depthAtLeastTheTrueOneGivesStrictlyIncreasingDtsNeverAbovePts() {
    for (int seed = 0; seed < SEEDS; seed++) {
      Random random = new Random(seed);
      long[] pts = decodeOrder(random);
      int trueDepth = trueDepth(pts);
      int depth = Math.min(MAX_DEPTH, trueDepth + random.nextInt(3));
      Recorder out = new Recorder();
      DecodeTimes<Integer> times = new DecodeTimes<>(depth, MAX_DEPTH, out);
      for (int i = 0; i < pts.length; i++) {
        times.frame(pts[i], i);
        assertThat(i + 1 - out.frames.size()).as("seed %d: frames held", seed).isBetween(0, i < depth ? depth : 0);
      }
      times.flush();
      String what = "seed " + seed + ", true depth " + trueDepth + ", depth " + depth;
      assertThat(out.frames).as(what).isEqualTo(indexes(pts.length));
      assertStrictlyIncreasing(out.dts);
      for (int i = 0; i < pts.length; i++) {
        assertThat(out.pts.get(i)).as(what).isEqualTo(pts[i]);
        assertThat(out.dts.get(i)).as("%s: frame %d", what, i).isLessThanOrEqualTo(pts[i]);
      }
      assertThat(times.reordered()).as(what).isZero();
      assertThat(times.depth()).as(what).isEqualTo(depth);
      assertThat(times.shift()).as(what).isZero();
    }
  }

  @Test
  void depthBelowTheTrueOneGrowsWithoutHoldingMoreOrBreakingMonotony() {
    int grown = 0;
    for (int seed = 0; seed < SEEDS; seed++) {
      Random random = new Random(seed);
      long[] pts = decodeOrder(random);
      int trueDepth = trueDepth(pts);
      if (trueDepth == 0) {
        continue;
      }
      int depth = random.nextInt(trueDepth);
      Recorder out = new Recorder();
      DecodeTimes<Integer> times = new DecodeTimes<>(depth, MAX_DEPTH, out);
      for (int i = 0; i < pts.length; i++) {
        times.frame(pts[i], i);
        assertThat(i + 1 - out.frames.size()).isBetween(0, depth);
      }
      times.flush();
      String what = "seed " + seed + ", true depth " + trueDepth + ", depth " + depth;
      assertThat(out.frames).as(what).isEqualTo(indexes(pts.length));
      assertStrictlyIncreasing(out.dts);
      long above = 0;
      for (int i = 0; i < pts.length; i++) {
        above += out.dts.get(i) > out.pts.get(i) ? 1 : 0;
      }
      assertThat(times.reordered()).as(what).isGreaterThanOrEqualTo(above);
      assertThat(times.depth()).as(what).isBetween(depth, trueDepth);
      assertThat(times.shift()).as(what).isZero();
      grown += times.depth() > depth ? 1 : 0;
    }
    assertThat(grown).as("runs whose depth grew").isPositive();
  }

  /** PTS of a random stream in decoding order. */
  private static long[] decodeOrder(Random random) {
    int n = 20 + random.nextInt(200);
    long[] presentation = new long[n];
    presentation[0] = random.nextLong(-(1L << 40), 1L << 40);
    boolean fixedRate = random.nextBoolean();
    long step = 1 + random.nextInt(9000);
    for (int i = 1; i < n; i++) {
      presentation[i] = presentation[i - 1] + (fixedRate ? step : 1 + random.nextInt(9000));
    }
    List<Integer> order = new ArrayList<>(n);
    int from = random.nextInt(4) == 0 ? 0 : 1; // open GOP: the first anchor has leading frames
    if (from == 1) {
      order.add(0);
    }
    while (from < n) {
      int size = 1 + random.nextInt(Math.min(8, n - from));
      int anchor = from + size - 1;
      order.add(anchor);
      List<Integer> between = new ArrayList<>();
      switch (random.nextInt(3)) {
        case 0 -> addInOrder(between, from, anchor);
        case 1 -> addHierarchically(between, from, anchor);
        default -> {
          addInOrder(between, from, anchor);
          Collections.shuffle(between, random);
        }
      }
      order.addAll(between);
      from = anchor + 1;
    }
    long[] pts = new long[n];
    for (int i = 0; i < n; i++) {
      pts[i] = presentation[order.get(i)];
    }
    return pts;
  }

  private static void addInOrder(List<Integer> to, int from, int end) {
    for (int i = from; i < end; i++) {
      to.add(i);
    }
  }

  /** B-pyramid: the middle frame of [from, end) first, then each half the same way. */
  private static void addHierarchically(List<Integer> to, int from, int end) {
    if (from >= end) {
      return;
    }
    int middle = (from + end) / 2;
    to.add(middle);
    addHierarchically(to, from, middle);
    addHierarchically(to, middle + 1, end);
  }

  /** The most frames that precede a frame in decoding order and follow it in output order. */
  private static int trueDepth(long[] pts) {
    int depth = 0;
    for (int i = 0; i < pts.length; i++) {
      int before = 0;
      for (int j = 0; j < i; j++) {
        before += pts[j] > pts[i] ? 1 : 0;
      }
      depth = Math.max(depth, before);
    }
    return depth;
  }

  private static List<Integer> indexes(int n) {
    List<Integer> indexes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      indexes.add(i);
    }
    return indexes;
  }
}
