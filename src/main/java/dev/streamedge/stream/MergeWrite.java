package dev.streamedge.stream;

import dev.streamedge.config.PlayerConfig;

/**
 * How a subscriber's packets may be held back so that they reach it together ({@code player.merge-write}
 * and {@code player.max-added-latency}). The fixed delay is a floor: packets are held at least that long;
 * the adaptive budget a ceiling: a busy loop holds them longer, never beyond it.
 *
 * @param millis how long a packet is held whatever the load; 0 hands each packet over as it comes
 * @param maxBytes the most packet bytes held: once reached, what is held is handed over at once, so a
 *     burst cannot grow a batch without bound
 * @param maxAddedMillis the longest a busy event loop may hold a packet ({@link AddedLatency}); 0 for no
 *     adaptive holding
 * @param quietWritesPerSecond the writes per second under which an event loop holds nothing more than
 *     {@code millis}
 */
public record MergeWrite(long millis, long maxBytes, long maxAddedMillis, long quietWritesPerSecond) {

  /** Nothing held. */
  public static final MergeWrite NONE = new MergeWrite(0, Long.MAX_VALUE, 0, Long.MAX_VALUE);

  /** A fixed delay only. */
  public MergeWrite(long millis, long maxBytes) {
    this(millis, maxBytes, 0, Long.MAX_VALUE);
  }

  /**
   * A player's: held for {@code player.merge-write}, longer on a busy loop up to
   * {@code player.max-added-latency}, and at most its socket write buffer, since a batch that large would
   * fill the socket's write queue at once.
   */
  public static MergeWrite of(PlayerConfig player) {
    return new MergeWrite(player.mergeWrite().toMillis(), player.socketWriteBuffer().bytes(),
        player.maxAddedLatency().toMillis(), player.quietWriteRate());
  }

  boolean merging() {
    return millis > 0 || adaptive();
  }

  boolean adaptive() {
    return maxAddedMillis > 0;
  }

  /** The longest a packet may be held: the budget, or the fixed delay where that is longer. */
  long budgetMillis() {
    return Math.max(millis, maxAddedMillis);
  }
}
