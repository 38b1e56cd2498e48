package dev.streamedge.stream;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.concurrent.TimeUnit;

/**
 * How busy one event loop is with players, for {@code player.max-added-latency}: how many players its
 * groups hold, and how many packet deliveries (a packet handed to one player, which is one kernel write
 * when nothing is merged) it made per second over the last {@link #WINDOW_NANOS}.
 *
 * <p>Why this signal: the kernel charges per write (bench/RESULTS.md), and the writes a loop would make
 * unmerged are exactly its deliveries; they do not depend on the delay chosen, so the policy cannot
 * chase its own effect the way a measured busy fraction or turn time would (merging more makes the loop
 * look quiet, which would merge less, and so on). It costs a counter and a clock read per packet and
 * group, never per player, and allocates nothing. Players count in every group of the loop; deliveries
 * only in groups with a member that adapts (the others do not read the clock for it): with one node-wide
 * configuration, those are all of them. One instance per event-loop thread
 * ({@link FastThreadLocal}: no map, no lock), touched only on that thread.
 */
final class LoopLoad {

  /** How far back the rate looks: short enough to follow a crowd joining, long enough to hold steady. */
  static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private static final FastThreadLocal<LoopLoad> LOADS = new FastThreadLocal<>() {
    @Override
    protected LoopLoad initialValue() {
      return new LoopLoad();
    }
  };

  private int players;
  private long windowStart;
  private long deliveries;
  /** Deliveries per second in the last complete window. */
  private double rate;

  /** The load of the calling thread's event loop. */
  static LoopLoad current() {
    return LOADS.get();
  }

  /** Players joined ({@code change} > 0) or left this loop's groups. */
  void players(int change) {
    players += change;
  }

  /**
   * A packet was handed to {@code count} players of this loop at {@code nowNanos}: counts it, and
   * answers how long a group of this loop holds what comes now, by {@link AddedLatency#delayMillis}
   * (one roll of the window and one clock read per packet and group).
   */
  long delivered(int count, long nowNanos, long budgetMillis, long quietWritesPerSecond) {
    roll(nowNanos);
    deliveries += count;
    return AddedLatency.delayMillis(rate, players, budgetMillis, quietWritesPerSecond);
  }

  /** Deliveries per second in the last complete window (0 before the first window ends). */
  double rate() {
    return rate;
  }

  private void roll(long nowNanos) {
    long elapsed = nowNanos - windowStart;
    if (elapsed >= WINDOW_NANOS) {
      // A loop that went quiet for longer than a window reads the whole gap as one window: a low rate.
      rate = deliveries * 1e9 / elapsed;
      deliveries = 0;
      windowStart = nowNanos;
    }
  }
}
