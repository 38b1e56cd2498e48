package dev.streamedge.rtmp.message;

import io.netty.buffer.ByteBuf;

/**
 * One RTMP message as carried by the chunk stream (RTMP 1.0 §5.3.1 / §6.1).
 *
 * @param chunkStreamId the chunk stream it travels on (2 .. 65599)
 * @param typeId the message type id (see {@link MessageType})
 * @param messageStreamId the message stream id (0 for protocol control and NetConnection commands)
 * @param timestamp the 32-bit unsigned timestamp in milliseconds, as a long in [0, 2^32)
 * @param payload the message body; its readable bytes are the message length
 */
public record RtmpMessage(int chunkStreamId, int typeId, int messageStreamId, long timestamp, ByteBuf payload) {

  public int length() {
    return payload.readableBytes();
  }
}
