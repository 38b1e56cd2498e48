package dev.streamedge.rtmp.chunk;

import dev.streamedge.rtmp.ProtocolException;
import dev.streamedge.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/** Aggregate messages (type 22, RTMP 1.0 §7.1.6): sub-messages laid out like FLV tags. */
public final class Aggregate {

  /** Sub-message header: type 1, size 3, timestamp 3 + 1 extension, stream id 3. */
  private static final int HEADER_LENGTH = 11;
  /** The back pointer after each body: the sub-message's size including its header. */
  private static final int BACK_POINTER_LENGTH = 4;

  private Aggregate() {
  }

  /**
   * Splits an aggregate message into its sub-messages (FLV-tag layout: type 1, size 3, timestamp
   * 3+1 ext, stream id 3, body, back pointer 4). Sub-message timestamps are rebased: aggregate
   * timestamp + (sub ts - first sub ts). chunkStreamId/messageStreamId of the aggregate are kept.
   * Truncated or inconsistent input → ProtocolException.
   *
   * <p>The aggregate's payload is read by index and left untouched; each sub-message gets its own
   * copy of its body.
   */
  public static List<RtmpMessage> split(RtmpMessage aggregate) throws ProtocolException {
    ByteBuf payload = aggregate.payload();
    int offset = payload.readerIndex();
    int end = payload.writerIndex();
    List<RtmpMessage> messages = new ArrayList<>();
    long firstTimestamp = 0;
    while (offset < end) {
      if (end - offset < HEADER_LENGTH) {
        throw new ProtocolException("aggregate sub-message header truncated: "
            + (end - offset) + " of " + HEADER_LENGTH + " bytes");
      }
      int typeId = payload.getUnsignedByte(offset);
      int size = payload.getUnsignedMedium(offset + 1);
      // FLV order: the extension byte holds bits 24-31 of the timestamp.
      long timestamp = payload.getUnsignedMedium(offset + 4)
          | (long) payload.getUnsignedByte(offset + 7) << 24;
      // The sub-message stream id (offset + 8) is overridden by the aggregate's (§7.1.6).
      int body = offset + HEADER_LENGTH;
      if ((long) end - body < (long) size + BACK_POINTER_LENGTH) {
        throw new ProtocolException("aggregate sub-message of " + size + " bytes truncated: "
            + (end - body) + " bytes left including the back pointer");
      }
      long backPointer = payload.getUnsignedInt(body + size);
      if (backPointer != HEADER_LENGTH + size) {
        throw new ProtocolException("aggregate back pointer " + backPointer
            + " does not match sub-message size " + (HEADER_LENGTH + size));
      }
      if (messages.isEmpty()) {
        firstTimestamp = timestamp;
      }
      // §7.1.6: sub-message times are relative to the first; the aggregate places the first.
      long rebased = (aggregate.timestamp() + timestamp - firstTimestamp)
          & ChunkFormat.TIMESTAMP_MASK;
      messages.add(new RtmpMessage(aggregate.chunkStreamId(), typeId, aggregate.messageStreamId(),
          rebased, Unpooled.copiedBuffer(payload.slice(body, size))));
      offset = body + size + BACK_POINTER_LENGTH;
    }
    return messages;
  }
}
