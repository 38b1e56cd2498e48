package dev.streamedge.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An event loop's load for {@code player.max-added-latency}: deliveries per second over the last
 * complete window, and the delay they decide with the loop's players.
 */
@Tag("unit")
class LoopLoadTest {

  private static final long BUDGET = 20;
  private static final long QUIET = 40_000;
  private static final long PACKET_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  @Test
  void aLoopUnderTheQuietRateHoldsNothing() {
    LoopLoad load = new LoopLoad();
    load.players(175);
    // 100 packets a second to 175 players: 17,500 deliveries a second.
    long last = feed(load, 175, 1_000_000_000L, 600);
    assertThat(load.rate()).isBetween(17_000.0, 18_000.0);
    assertThat(load.delivered(175, last + PACKET_NANOS, BUDGET, QUIET)).isZero();
  }

  @Test
  void aBusyLoopHoldsForItsPlayersOverTheQuietRate() {
    LoopLoad load = new LoopLoad();
    load.players(700);
    // 70,000 deliveries a second: 700 players / 40,000 writes a second = 17.5 ms, rounded up.
    long last = feed(load, 700, 1_000_000_000L, 600);
    assertThat(load.rate()).isBetween(68_000.0, 72_000.0);
    assertThat(load.delivered(700, last + PACKET_NANOS, BUDGET, QUIET)).isEqualTo(18);
  }

  @Test
  void theDelayNeverPassesTheBudget() {
    LoopLoad load = new LoopLoad();
    load.players(2000);
    long last = feed(load, 2000, 1_000_000_000L, 600);
    assertThat(load.delivered(2000, last + PACKET_NANOS, BUDGET, QUIET)).isEqualTo(BUDGET);
  }

  @Test
  void theFirstWindowCountsAsQuiet() {
    LoopLoad load = new LoopLoad();
    load.players(2000);
    // Nothing measured yet: a crowd's first packets go out at once, not after a guess.
    assertThat(load.delivered(2000, 1_000_000_000L, BUDGET, QUIET)).isZero();
    assertThat(load.delivered(2000, 1_000_000_000L + PACKET_NANOS, BUDGET, QUIET)).isZero();
  }

  @Test
  void aLoopThatWentQuietReadsTheGapAsOneWindow() {
    LoopLoad load = new LoopLoad();
    load.players(2000);
    long last = feed(load, 2000, 1_000_000_000L, 600);
    // Two seconds without a packet: the window that ends now holds one packet's deliveries over 2 s.
    long later = last + TimeUnit.SECONDS.toNanos(2);
    load.delivered(2000, later, BUDGET, QUIET);
    assertThat(load.delivered(2000, later + TimeUnit.MILLISECONDS.toNanos(250), BUDGET, QUIET)).isZero();
    assertThat(load.rate()).isLessThan(QUIET);
  }

  @Test
  void playersWhoLeaveNoLongerCount() {
    LoopLoad load = new LoopLoad();
    load.players(700);
    long last = feed(load, 700, 1_000_000_000L, 600);
    load.players(-350);
    // The same deliveries a second, half the players: half the delay (350 / 40,000 s = 8.75 ms).
    assertThat(load.delivered(700, last + PACKET_NANOS, BUDGET, QUIET)).isEqualTo(9);
  }

  /** One packet to {@code players} every 10 ms from {@code start} for {@code millis}; the last packet's time. */
  private static long feed(LoopLoad load, int players, long start, long millis) {
    long now = start;
    for (long t = 0; t < millis; t += 10) {
      now = start + TimeUnit.MILLISECONDS.toNanos(t);
      load.delivered(players, now, BUDGET, QUIET);
    }
    return now;
  }
}
