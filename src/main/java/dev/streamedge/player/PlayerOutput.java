package dev.streamedge.player;

import dev.streamedge.media.MediaPacket;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * Where a {@link Player} writes, as its protocol provides it: an RTMP connection's message stream, an
 * HTTP-FLV response, a WebSocket. Called on the player's context.
 */
public interface PlayerOutput {

  /** The socket's own write queue is full: the player writes nothing more until it is drained. */
  boolean full();

  /**
   * Bytes written to the socket that the peer has not acknowledged yet: what the socket's own write queue
   * and, where the transport tells, the kernel hold. Costs a system call: asked now and then, not per packet.
   */
  long unackedBytes();

  /**
   * Writes media in the player's wire format. The bytes are shared with every other player of the
   * format: written as they are, never modified.
   */
  void write(Buffer media);

  /** The player joins with {@code startPackets}, which are offered next; by default nothing to do. */
  default void joining(List<MediaPacket> startPackets) {
  }

  /** A publisher started (again) on the stream. */
  void published();

  /** The publisher left; the player's subscription stays until the output stops it. */
  void unpublished();

  /** The player stayed behind live for {@code player.max-behind} and must go. */
  void close(String reason);
}
