package dev.streamedge.media;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;

/**
 * One audio, video or data message of a live stream, as fanned out to every consumer. Immutable and
 * shared by all of them: consumers must not modify {@code body} or {@code rtmp}.
 *
 * @param kind audio, video or script data
 * @param timestamp milliseconds on the stream's output timeline (unsigned 32-bit, continuous across
 *     publisher sessions)
 * @param role what the packet means to a player that joins or skips ahead
 * @param body the FLV tag body (the RTMP message payload), never written to sockets directly
 * @param rtmp the message chunk-encoded once for every RTMP player (message stream 1, the server's
 *     chunk size, self-contained fmt-0 headers)
 * @param flv the FLV tag encoded once for every HTTP-FLV and WebSocket-FLV player
 * @param receivedNanos {@link System#nanoTime()} when the server received it, to measure lag
 */
public record MediaPacket(
    MediaKind kind, long timestamp, Role role, ByteBuf body, Buffer rtmp, Buffer flv, long receivedNanos) {

  /** What a packet means for joining and skipping. */
  public enum Role {
    /** Codec configuration or metadata: every player needs the latest one of each kind. */
    CONFIG,
    /** A point a player can start decoding from (video keyframe; any audio frame in audio-only). */
    SYNC,
    /** Depends on what came before since the last sync point. */
    FRAME
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
