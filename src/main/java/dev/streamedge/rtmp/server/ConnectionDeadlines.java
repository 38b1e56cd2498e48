package dev.streamedge.rtmp.server;

import dev.streamedge.config.RtmpConfig;
import dev.streamedge.metrics.Refusal;
import dev.streamedge.rtmp.chunk.ChunkDecoder;

/**
 * The deadlines of an RTMP connection, checked by its connection ticker: handshake and connect within
 * {@code rtmp.handshake-timeout} of opening; once connected, a publisher sends media at least every
 * {@code rtmp.idle-publisher-timeout}, a message whose first chunk arrived completes within
 * {@code rtmp.partial-message-timeout}, and a connection publishes or plays within
 * {@code rtmp.publish-or-play-timeout} of its connect (or of its last stream's end). Without them a
 * client could hold a slot, or heap, for as long as it answers pings.
 */
final class ConnectionDeadlines {

  /** A deadline passed: the connection closes for {@code reason}, counted as {@code refusal} unless null. */
  record Missed(Refusal refusal, String reason) {
  }

  private final long handshakeNanos;
  private final long idlePublisherNanos;
  private final long openedNanos;
  private final long partialMessageNanos;
  private final long publishOrPlayNanos;
  /** Since when the connection has had no stream publishing, playing or waiting to; while it has none. */
  private long idleSinceNanos;
  private boolean inUse;

  ConnectionDeadlines(RtmpConfig config, long openedNanos) {
    this.handshakeNanos = config.handshakeTimeout().toNanos();
    this.idlePublisherNanos = config.idlePublisherTimeout().toNanos();
    this.openedNanos = openedNanos;
    this.partialMessageNanos = config.partialMessageTimeout().toNanos();
    this.publishOrPlayNanos = config.publishOrPlayTimeout().toNanos();
  }

  /** The connection's connect came at {@code now}: the publish-or-play time counts from here. */
  void connected(long now) {
    idleSinceNanos = now;
  }

  /** Before connect: the handshake deadline, if missed at {@code now}, else null. */
  Missed beforeConnect(long now) {
    return now - openedNanos > handshakeNanos ? new Missed(Refusal.HANDSHAKE_TIMEOUT,
        "no handshake and connect within " + millis(handshakeNanos) + " ms") : null;
  }

  /**
   * After connect: the deadline the connection has missed at {@code now}, or null.
   *
   * @param publishing whether a stream of the connection publishes
   * @param lastMediaNanos when the connection last received media or script data (or started to publish)
   * @param inUse whether a stream of the connection publishes or plays, or waits for auth to
   */
  Missed missed(long now, boolean publishing, long lastMediaNanos, boolean inUse, ChunkDecoder decoder) {
    if (publishing && now - lastMediaNanos > idlePublisherNanos) {
      return new Missed(null, "publisher sent no media for " + millis(idlePublisherNanos) + " ms");
    }
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
