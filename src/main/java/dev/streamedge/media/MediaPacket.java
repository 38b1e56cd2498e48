package dev.streamedge.media;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;

/**
 * One audio, video or data message of a live stream, as fanned out to every consumer. Immutable and
 * shared by all of them: consumers must not modify {@code body}, {@code encodings} nor what they hold.
 *
 * @param kind audio, video or script data
 * @param timestamp milliseconds on the stream's output timeline (unsigned 32-bit, continuous across
 *     publisher sessions)
 * @param role what the packet means to a player that joins or skips ahead
 * @param body the FLV tag body (the RTMP message payload), never written to sockets directly
 * @param encodings the packet encoded once in each of the node's {@link WireFormats}, for every player
 *     of that format; read with {@link #encoded}
 * @param receivedNanos {@link System#nanoTime()} when the server received it, to measure lag
 */
public record MediaPacket(
    MediaKind kind, long timestamp, Role role, ByteBuf body, Buffer[] encodings, long receivedNanos) {

  private static final Buffer[] NO_ENCODINGS = new Buffer[0];

  /** What a packet means for joining and skipping. */
  public enum Role {
    /** Codec configuration or metadata: every player needs the latest one of each kind. */
    CONFIG,
    /** A point a player can start decoding from (video keyframe; any audio frame in audio-only). */
    SYNC,
    /** Depends on what came before since the last sync point. */
    FRAME
  }

  /** A packet encoded in no wire format, for consumers that read only its body (HLS, the cluster link). */
  public MediaPacket(MediaKind kind, long timestamp, Role role, ByteBuf body, long receivedNanos) {
    this(kind, timestamp, role, body, NO_ENCODINGS, receivedNanos);
  }

  /** This packet in {@code format}, the same buffer for every player of it: must not be modified. */
  public Buffer encoded(WireFormat format) {
    return encodings[format.index()];
  }

  public int size() {
    return body.readableBytes();
  }

  public boolean isConfig() {
    return role == Role.CONFIG;
  }

  public boolean isSync() {
    return role == Role.SYNC;
  }
}
