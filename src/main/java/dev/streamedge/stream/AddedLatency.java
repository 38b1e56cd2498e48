package dev.streamedge.stream;

/**
 * The decision of {@code player.max-added-latency}: how long an event loop's groups hold packets for
 * their players, from the loop's {@link LoopLoad}.
 *
 * <p>A loop whose players would cost at most {@code quietWritesPerSecond} kernel writes per second
 * unmerged holds nothing: each packet goes out in the turn it came. Above that, holding packets for
 * {@code d} gives each player at most one write per {@code d}, so the loop's writes stay near the quiet
 * rate when {@code d = players / quietWritesPerSecond}; the latency added grows with the crowd, never
 * beyond the budget. At the threshold {@code d} is about one packet interval, so the delay starts near
 * zero rather than jumping.
 */
final class AddedLatency {

  private AddedLatency() {
  }

  /**
   * Milliseconds to hold packets: 0 with no budget or when quiet, else {@code players} per
   * {@code quietWritesPerSecond}, at least 1 ms and at most {@code budgetMillis}.
   *
   * @param writesPerSecond the loop's deliveries per second, what it would write unmerged
   * @param players the players of the loop's groups
   */
  static long delayMillis(double writesPerSecond, int players, long budgetMillis, long quietWritesPerSecond) {
    if (budgetMillis <= 0 || writesPerSecond <= quietWritesPerSecond || players <= 0) {
      return 0;
    }
    long millis = (long) Math.ceil(players * 1000.0 / quietWritesPerSecond);
    return Math.min(Math.max(millis, 1), budgetMillis);
  }
}
