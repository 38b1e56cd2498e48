package dev.streamedge.rtmp.server;

import dev.streamedge.media.MediaKind;
import dev.streamedge.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;

/**
 * The publishes of one connection that wait for auth and the stream registry, each with the {@link PublishHold}
 * of what it sends meanwhile, and their bytes together on the node's {@code rtmp.max-incomplete-bytes} account
 * through the connection's {@link ConnectionInput}. On the connection's context only.
 */
final class PublishHolds {

  private final ConnectionInput input;
  private final long max;
  private final String peer;
  /** Bytes held by the publishes of the connection that wait to be allowed. */
  private long bytes;
  /** Since when the first of them was held. */
  private long sinceNanos;

  PublishHolds(ConnectionInput input, long max, String peer) {
    this.input = input;
    this.max = max;
    this.peer = peer;
  }

  /**
   * {@code publish} came on {@code stream} and waits: from now on messages may be as large as media, and what
   * the stream sends is held.
   */
  void asked(NetStream stream) {
    input.publishing();
    stream.hold = new PublishHold(max, System.nanoTime());
  }

  /** Holds a message of {@code stream}, which waits to be allowed: audio or video, or script data without a kind. */
  void hold(NetStream stream, RtmpMessage message, MediaKind kind, ByteBuf payload) {
    long before = stream.hold.bytes();
    stream.hold.add(message, kind, payload);
    changed(stream.hold, stream.hold.bytes() - before);
  }

  /** The publish of {@code stream} is allowed and started: what it sent meanwhile goes on, in order. */
  void pass(NetStream stream) {
    PublishHold hold = stream.hold;
    if (hold == null) {
      return;
    }
    stream.hold = null;
    changed(hold, -hold.bytes());
    if (hold.dropped() > 0) {
      ConnectionLogs.DATA_DROPPED.info("media dropped {} stream={} reason={} messages ({} bytes) past "
          + "rtmp.max-held-before-publish before the publish was allowed", peer, stream.publishing.key(),
          hold.dropped(), hold.droppedBytes());
    }
    input.pass(hold.held());
  }

  /** The publish of {@code stream} did not start: what it sent meanwhile goes. */
  void drop(NetStream stream) {
    PublishHold hold = stream.hold;
    if (hold != null) {
      stream.hold = null;
      changed(hold, -hold.bytes());
    }
  }

  private void changed(PublishHold hold, long change) {
    if (change != 0) {
      if (bytes == 0) {
        sinceNanos = hold.sinceNanos();
      }
      bytes += change;
      input.held(bytes, sinceNanos);
    }
  }
}
