package dev.streamedge.rtmp.server;

import dev.streamedge.config.RtmpConfig;
import dev.streamedge.metrics.Refusal;
import dev.streamedge.rtmp.chunk.ChunkDecoder;

/**
 * The deadlines of a connected RTMP connection, checked by its one-second timer: a message whose first
 * chunk arrived must complete within {@code rtmp.partial-message-timeout}, and a connection must publish
 * or play within {@code rtmp.publish-or-play-timeout} of its connect (or of its last stream's end).
 * Without them a client could hold a slot, or heap, for as long as it answers pings.
 */
final class ConnectionDeadlines {

  /** A deadline passed: the connection closes for {@code reason}, counted as {@code refusal}. */
  record Missed(Refusal refusal, String reason) {
  }

  private final long partialMessageNanos;
  private final long publishOrPlayNanos;
  /** Since when the connection has had no stream publishing, playing or waiting to; while it has none. */
  private long idleSinceNanos;
  private boolean inUse;

  ConnectionDeadlines(RtmpConfig config, long connectedNanos) {
    this.partialMessageNanos = config.partialMessageTimeout().toNanos();
    this.publishOrPlayNanos = config.publishOrPlayTimeout().toNanos();
    this.idleSinceNanos = connectedNanos;
  }

  /**
   * The deadline the connection has missed at {@code now}, or null.
   *
   * @param inUse whether a stream of the connection publishes or plays, or waits for auth to
   */
  Missed missed(long now, boolean inUse, ChunkDecoder decoder) {
    if (decoder.hasIncompleteMessage() && now - decoder.oldestIncompleteNanos() > partialMessageNanos) {
      return new Missed(Refusal.PARTIAL_MESSAGE_TIMEOUT, "a message started "
          + millis(now - decoder.oldestIncompleteNanos()) + " ms ago is still incomplete (rtmp.partial-message-timeout "
          + millis(partialMessageNanos) + " ms)");
    }
    if (inUse) {
      this.inUse = true;
      return null;
    }
    if (this.inUse) {
      // Its last stream ended since the previous check: counting from now, it gets the whole time.
      this.inUse = false;
      idleSinceNanos = now;
    }
    if (now - idleSinceNanos > publishOrPlayNanos) {
      return new Missed(Refusal.PUBLISH_OR_PLAY_TIMEOUT, "neither published nor played for "
          + millis(now - idleSinceNanos) + " ms (rtmp.publish-or-play-timeout " + millis(publishOrPlayNanos) + " ms)");
    }
    return null;
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000;
  }
}
