package dev.streamedge.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.config.ConfigLoader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code player.max-added-latency}'s decision: a quiet event loop holds nothing, a busy one holds packets
 * longer the more players it has, never longer than the budget.
 */
@Tag("unit")
class AddedLatencyTest {

  private static final long QUIET = 10_000;
  private static final long BUDGET = 40;

  @Test
  void aQuietLoopHoldsNothing() {
    assertThat(AddedLatency.delayMillis(0, 0, BUDGET, QUIET)).isZero();
    // 100 players of a 70-packet/s stream: 7000 writes a second, under the quiet rate.
    assertThat(AddedLatency.delayMillis(7_000, 100, BUDGET, QUIET)).isZero();
    assertThat(AddedLatency.delayMillis(QUIET, 140, BUDGET, QUIET)).as("at the quiet rate itself").isZero();
  }

  @Test
  void aBusyLoopHoldsLongerTheMorePlayersItHas() {
    // 250 players at 70 packets/s: 17500 writes a second unmerged; 25 ms holds them to 10000.
    assertThat(AddedLatency.delayMillis(17_500, 250, BUDGET, QUIET)).isEqualTo(25);
    assertThat(AddedLatency.delayMillis(14_000, 200, BUDGET, QUIET)).isEqualTo(20);
    // Just over the quiet rate, the delay is about one packet interval (1/70 s), not a jump.
    assertThat(AddedLatency.delayMillis(10_010, 143, BUDGET, QUIET)).isEqualTo(15);
    assertThat(AddedLatency.delayMillis(100_000, 1, BUDGET, QUIET)).as("at least a millisecond").isEqualTo(1);
  }

  @Test
  void noLoopHoldsLongerThanTheBudget() {
    for (int players = 1; players <= 100_000; players *= 3) {
      for (double rate = QUIET + 1; rate < 1e8; rate *= 7) {
        assertThat(AddedLatency.delayMillis(rate, players, BUDGET, QUIET)).isBetween(1L, BUDGET);
      }
    }
    assertThat(AddedLatency.delayMillis(1e7, 1_000_000, BUDGET, QUIET)).isEqualTo(BUDGET);
  }

  @Test
  void noBudgetHoldsNothing() {
    assertThat(AddedLatency.delayMillis(1e7, 100_000, 0, QUIET)).isZero();
  }

  @Test
  void theDefaultsHoldNothingAt250PlayersALoopAndTheBudgetAt1000() {
    MergeWrite defaults = MergeWrite.of(ConfigLoader.defaults().player());
    assertThat(defaults.adaptive()).isTrue();
    // 500 players on two loops of a 70-packet/s stream (bench/RESULTS.md): 17500 writes a second a loop.
    assertThat(AddedLatency.delayMillis(17_500, 250, defaults.budgetMillis(), defaults.quietWritesPerSecond()))
        .isZero();
    // 2000 on two loops: 70000 a loop, held for the whole budget.
    assertThat(AddedLatency.delayMillis(70_000, 1000, defaults.budgetMillis(), defaults.quietWritesPerSecond()))
        .isEqualTo(20);
  }

  @Test
  void aBudgetUnderTheFixedDelayIsTheFixedDelay() {
    MergeWrite longerFixed = new MergeWrite(40, Long.MAX_VALUE, 20, 40_000);
    assertThat(longerFixed.adaptive()).isTrue();
    assertThat(longerFixed.budgetMillis()).isEqualTo(40);
  }
}
