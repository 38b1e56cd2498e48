package dev.streamedge.rtmp.chunk;

import dev.streamedge.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HashMap;
import java.util.Map;

/**
 * Splits RTMP messages into chunks (RTMP 1.0 §5.3).
 *
 * <p>The static {@code encodeStandalone} methods produce bytes that depend on no receiver state,
 * for fan-out of one encoding to many connections. An instance encodes for one connection and
 * compresses headers against what it sent before on each chunk stream.
 *
 * <p>Neither sends Set Chunk Size by itself: send that message at the old size, then call
 * {@link #setChunkSize}. Message payloads are read by index and left untouched.
 */
public final class ChunkEncoder {

  /** Size of a type 0 message header (§5.3.1.2.1). */
  private static final int MESSAGE_HEADER_0_LENGTH = 11;

  private final Map<Integer, SentHeader> sent = new HashMap<>();
  private int chunkSize;

  /** @param chunkSize the outgoing chunk size the receiver currently expects */
  public ChunkEncoder(int chunkSize) {
    this.chunkSize = checkChunkSize(chunkSize);
  }

  /** Changes the outgoing chunk size, after a Set Chunk Size message was encoded (§5.4.1). */
  public void setChunkSize(int chunkSize) {
    this.chunkSize = checkChunkSize(chunkSize);
  }

  /**
   * Self-contained encoding for fan-out: a fmt-0 header on the first chunk, fmt-3 on each
   * continuation, extended timestamp repeated on every chunk when timestamp >= 0xFFFFFF. Depends
   * on no receiver state, so the same bytes can be written to many connections.
   */
  public static ByteBuf encodeStandalone(RtmpMessage message, int chunkSize) {
    ByteBuf out = Unpooled.buffer(standaloneLength(message, chunkSize));
    encodeStandalone(message, chunkSize, out);
    return out;
  }

  /** Writes that encoding into {@code out}. */
  public static void encodeStandalone(RtmpMessage message, int chunkSize, ByteBuf out) {
    checkMessage(message);
    writeChunks(message, checkChunkSize(chunkSize), 0, message.timestamp(), out);
  }

  /** Exact size of encodeStandalone's output. */
  public static int standaloneLength(RtmpMessage message, int chunkSize) {
    checkMessage(message);
    checkChunkSize(chunkSize);
    int length = message.length();
    // A zero-length message still takes one chunk.
    int chunks = length == 0 ? 1 : (length - 1) / chunkSize + 1;
    int extended = message.timestamp() >= ChunkFormat.EXTENDED_TIMESTAMP ? 4 : 0;
    return chunks * (basicHeaderLength(message.chunkStreamId()) + extended)
        + MESSAGE_HEADER_0_LENGTH + length;
  }

  /** Stateful encoder for one connection: chooses the smallest header (fmt 0/1/2/3) per csid as the spec allows. */
  public void encode(RtmpMessage message, ByteBuf out) {
    checkMessage(message);
    SentHeader previous = sent.get(message.chunkStreamId());
    long timestamp = message.timestamp();
    int fmt;
    long field;
    long delta = previous == null ? 0 : (timestamp - previous.timestamp) & ChunkFormat.TIMESTAMP_MASK;
    // §5.3.1.2.1: type 0 starts a chunk stream, changes the message stream id, and must be used when
    // the timestamp goes backward. A delta of 2^31 or more is read as backward (serial number
    // arithmetic), so forward deltas still wrap at 2^32.
    if (previous == null || previous.messageStreamId != message.messageStreamId()
        || delta >= 1L << 31) {
      fmt = 0;
      field = timestamp;
    } else if (previous.length != message.length() || previous.typeId != message.typeId()) {
      fmt = 1;
      field = delta;
    } else if (previous.fmt == 0 || previous.field != delta) {
      // Type 3 after type 0 would make the receiver add the type 0 timestamp as delta
      // (§5.3.1.2.4); not every implementation does, so a type 2 header states the delta.
      fmt = 2;
      field = delta;
    } else {
      fmt = 3;
      field = delta;
    }
    writeChunks(message, chunkSize, fmt, field, out);
    sent.put(message.chunkStreamId(), new SentHeader(fmt == 3 ? previous.fmt : fmt, field,
        timestamp, message.length(), message.typeId(), message.messageStreamId()));
  }

  /**
   * Writes the message as a first chunk of type {@code fmt} carrying {@code timestampField}, then
   * type 3 continuations. The Extended Timestamp follows every header whose field overflowed, the
   * continuations' included (§5.3.1.3; as ffmpeg and librtmp send it).
   */
  private static void writeChunks(RtmpMessage message, int chunkSize, int fmt, long timestampField,
      ByteBuf out) {
    int chunkStreamId = message.chunkStreamId();
    boolean extended = timestampField >= ChunkFormat.EXTENDED_TIMESTAMP;
    writeBasicHeader(fmt, chunkStreamId, out);
    if (fmt <= 2) {
      out.writeMedium(extended ? ChunkFormat.EXTENDED_TIMESTAMP : (int) timestampField);
    }
    if (fmt <= 1) {
      out.writeMedium(message.length());
      out.writeByte(message.typeId());
    }
    if (fmt == 0) {
      out.writeIntLE(message.messageStreamId());
    }
    if (extended) {
      out.writeInt((int) timestampField);
    }
    ByteBuf payload = message.payload();
    int start = payload.readerIndex();
    int length = payload.readableBytes();
    int first = Math.min(chunkSize, length);
    out.writeBytes(payload, start, first);
    for (int offset = first; offset < length; offset += chunkSize) {
      writeBasicHeader(3, chunkStreamId, out);
      if (extended) {
        out.writeInt((int) timestampField);
      }
      out.writeBytes(payload, start + offset, Math.min(chunkSize, length - offset));
    }
  }

  /** §5.3.1.1: 1 byte for ids 2-63, 2 bytes for 64-319, 3 bytes (little-endian id - 64) above. */
  private static void writeBasicHeader(int fmt, int chunkStreamId, ByteBuf out) {
    if (chunkStreamId < 64) {
      out.writeByte(fmt << 6 | chunkStreamId);
    } else if (chunkStreamId < 320) {
      out.writeByte(fmt << 6);
      out.writeByte(chunkStreamId - 64);
    } else {
      out.writeByte(fmt << 6 | 1);
      out.writeShortLE(chunkStreamId - 64);
    }
  }

  private static int basicHeaderLength(int chunkStreamId) {
    return chunkStreamId < 64 ? 1 : chunkStreamId < 320 ? 2 : 3;
  }

  private static int checkChunkSize(int chunkSize) {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunk size " + chunkSize + " is not positive");
    }
    return chunkSize;
  }

  private static void checkMessage(RtmpMessage message) {
    int chunkStreamId = message.chunkStreamId();
    if (chunkStreamId < ChunkFormat.MIN_CHUNK_STREAM_ID
        || chunkStreamId > ChunkFormat.MAX_CHUNK_STREAM_ID) {
      throw new IllegalArgumentException("chunk stream id " + chunkStreamId + " is outside 2..65599");
    }
    if (message.typeId() < 0 || message.typeId() > 0xFF) {
      throw new IllegalArgumentException("message type id " + message.typeId() + " is not a byte");
    }
    if (message.timestamp() < 0 || message.timestamp() > ChunkFormat.TIMESTAMP_MASK) {
      throw new IllegalArgumentException("timestamp " + message.timestamp() + " is not 32-bit unsigned");
    }
    if (message.length() > ChunkFormat.MAX_MESSAGE_LENGTH) {
      throw new IllegalArgumentException(
          "message length " + message.length() + " exceeds the 24-bit length field");
    }
  }

  /**
   * The header state the receiver holds for a chunk stream after our last message on it.
   *
   * @param fmt the type of the last header that carried a timestamp field (0, 1 or 2)
   * @param field the receiver's delta for a following type 3 chunk
   */
  private record SentHeader(int fmt, long field, long timestamp, int length, int typeId,
      int messageStreamId) {
  }
}
