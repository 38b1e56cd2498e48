package dev.streamedge.stream;

import dev.streamedge.config.PlayerConfig;

/**
 * How a subscriber's packets may be held back so that they reach it together ({@code player.merge-write}).
 *
 * @param millis how long a packet may be held; 0 hands each packet over as it comes
 * @param maxBytes the most packet bytes held: once reached, what is held is handed over at once, so a
 *     burst cannot grow a batch without bound
 */
public record MergeWrite(long millis, long maxBytes) {

  /** Nothing held. */
  public static final MergeWrite NONE = new MergeWrite(0, Long.MAX_VALUE);

  /**
   * A player's: held for {@code player.merge-write}, and at most its socket write buffer, since a batch
   * that large would fill the socket's write queue at once.
   */
  public static MergeWrite of(PlayerConfig player) {
    return new MergeWrite(player.mergeWrite().toMillis(), player.socketWriteBuffer().bytes());
  }

  boolean merging() {
    return millis > 0;
  }
}
