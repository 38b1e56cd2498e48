package dev.streamedge.media;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;

/**
 * Encodes a packet in a {@link WireFormat}: once, when the stream core creates the packet, so that every
 * player of that format is written the same bytes. Must not modify {@code body}.
 */
@FunctionalInterface
public interface PacketEncoder {

  Buffer encode(MediaKind kind, long timestamp, ByteBuf body);
}
