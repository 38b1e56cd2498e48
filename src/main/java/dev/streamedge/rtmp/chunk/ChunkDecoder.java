package dev.streamedge.rtmp.chunk;

import dev.streamedge.rtmp.ProtocolException;
import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reassembles RTMP messages from an incoming chunk stream (RTMP 1.0 §5.3).
 *
 * <p>One instance per connection direction. Input may be split anywhere; partial header fields
 * and partial payloads are kept between calls. Memory held for incomplete messages is bounded by
 * {@code maxIncompleteBytes}, and no payload buffer is sized from an untrusted length field: it
 * grows as chunk bytes arrive. {@link #bufferedBytes()} is the heap those buffers take, and
 * {@link #oldestIncompleteNanos()} tells since when the oldest incomplete message has waited, so that
 * a server can account for and time out messages a peer starts and never finishes.
 *
 * <p>After a {@link ProtocolException} the decoder has lost its place in the stream: every further
 * call consumes its input and throws again, emitting nothing, and the connection is to be closed.
 */
public final class ChunkDecoder {

  private enum State {
    /** First byte of the basic header: fmt and the 6-bit chunk stream id (§5.3.1.1). */
    BASIC_HEADER,
    /** The one or two further bytes of a 2- or 3-byte basic header. */
    CHUNK_STREAM_ID,
    /** The 11-, 7- or 3-byte message header of a type 0, 1 or 2 chunk (§5.3.1.2). */
    MESSAGE_HEADER,
    /** The 4-byte Extended Timestamp (§5.3.1.3). */
    EXTENDED_TIMESTAMP,
    /** The chunk's share of the message payload. */
    PAYLOAD,
    /** A ProtocolException was thrown: nothing more is read (as Netty decoders' BAD_MESSAGE). */
    FAILED
  }

  /** Message header sizes by fmt (§5.3.1.2.1 - §5.3.1.2.4). */
  private static final int[] MESSAGE_HEADER_LENGTH = {11, 7, 3, 0};

  /** The largest header field read at once: a type 0 message header. */
  private static final int MAX_FIELD_LENGTH = 11;

  /** Every chunk stream id the basic header can express (§5.3.1.1: 2 .. 65599). */
  public static final int ALL_CHUNK_STREAMS = 65599 - 1;

  private final int maxChunkSize;
  private final int maxChunkStreams;
  private int maxMessageSize;
  private int maxIncompleteBytes;
  /** The name of the message size limit in error messages. */
  private String maxMessageSizeName = "max-message-size";
  private final Map<Integer, ChunkStream> streams = new HashMap<>();
  /** Holds a header field that arrived split across decode calls. */
  private final ByteBuf partialField = Unpooled.buffer(MAX_FIELD_LENGTH, MAX_FIELD_LENGTH);

  private State state = State.BASIC_HEADER;
  /** The message of the ProtocolException that broke the stream, once in {@link State#FAILED}. */
  private String failure;
  private int chunkSize = ChunkFormat.DEFAULT_CHUNK_SIZE;
  /** Payload bytes of incomplete messages over all chunk streams, including the current chunk's. */
  private long incompleteBytes;
  private final IncompleteMessages incomplete = new IncompleteMessages();
  /** System.nanoTime() when the current decode call began: the start time of messages it starts. */
  private long now;

  // The chunk being read.
  private int fmt;
  private int extraIdBytes;
  private ChunkStream current;
  private int chunkRemaining;

  /**
   * @param maxChunkSize the largest chunk size a peer may set with Set Chunk Size
   * @param maxMessageSize the largest message length accepted in a message header
   * @param maxIncompleteBytes the most payload bytes held in incomplete messages at any time
   * @param maxChunkStreams the most distinct chunk streams a peer may use, each holding header state
   */
  public ChunkDecoder(int maxChunkSize, int maxMessageSize, int maxIncompleteBytes, int maxChunkStreams) {
    if (maxChunkSize < 1 || maxMessageSize < 0 || maxIncompleteBytes < 0 || maxChunkStreams < 1) {
      throw new IllegalArgumentException("limits out of range: max-chunk-size " + maxChunkSize
          + ", max-message-size " + maxMessageSize + ", max-incomplete-bytes " + maxIncompleteBytes);
    }
    this.maxChunkSize = maxChunkSize;
    this.maxMessageSize = maxMessageSize;
    this.maxIncompleteBytes = maxIncompleteBytes;
    this.maxChunkStreams = maxChunkStreams;
  }

  /**
   * Changes the limits for messages whose first chunk comes from now on; a message already started
   * keeps the length its header gave. {@code name} names the size limit in error messages.
   */
  public void limitMessages(String name, int maxMessageSize, int maxIncompleteBytes) {
    if (maxMessageSize < 0 || maxIncompleteBytes < 0) {
      throw new IllegalArgumentException("limits out of range: " + name + " " + maxMessageSize
          + ", max-incomplete-bytes " + maxIncompleteBytes);
    }
    this.maxMessageSizeName = name;
    this.maxMessageSize = maxMessageSize;
    this.maxIncompleteBytes = maxIncompleteBytes;
  }

  /**
   * From now on, a complete message's payload is the consumer's only while it is called: once the call
   * returns, its buffer takes the next message of the same chunk stream (up to
   * {@link IncompleteMessages#MAX_SPARE_BYTES}),
   * so a consumer that keeps nothing, like a load generator's player, costs no allocation per message.
   * A consumer that keeps a payload, or a message holding it, must copy it.
   */
  public void reusePayloads() {
    incomplete.reusePayloads();
  }

  /** Payload bytes held for messages not yet complete (counted per chunk as soon as its header is read). */
  public long incompleteBytes() {
    return incompleteBytes;
  }

  /**
   * Heap taken by the buffers of messages not yet complete: it follows the bytes that arrived (a
   * buffer grows by doubling, so at most twice those), not what their headers announced.
   */
  public long bufferedBytes() {
    return incomplete.bufferedBytes();
  }

  /** Whether a message has started and not completed. */
  public boolean hasIncompleteMessage() {
    return incomplete.oldest() != null;
  }

  /**
   * System.nanoTime() of the decode call that read the first chunk header of the oldest incomplete
   * message; only meaningful while {@link #hasIncompleteMessage()}.
   */
  public long oldestIncompleteNanos() {
    ChunkStream oldest = incomplete.oldest();
    return oldest == null ? now : oldest.startedNanos;
  }

  /** The current incoming chunk size: 128 until a Set Chunk Size message arrives (§5.4.1). */
  public int chunkSize() {
    return chunkSize;
  }

  /**
   * Consumes all readable bytes of {@code in} (keeping partial header/payload state internally,
   * bounded), and hands each complete message to {@code out} in arrival order.
   */
  public void decode(ByteBuf in, Consumer<RtmpMessage> out) throws ProtocolException {
    if (state == State.FAILED) {
      in.skipBytes(in.readableBytes());
      throw new ProtocolException("chunk stream broken earlier: " + failure);
    }
    now = System.nanoTime();
    try {
      while (in.isReadable()) {
        switch (state) {
          case BASIC_HEADER -> readBasicHeader(in, out);
          case CHUNK_STREAM_ID -> readChunkStreamId(in, out);
          case MESSAGE_HEADER -> readMessageHeader(in, out);
          case EXTENDED_TIMESTAMP -> readExtendedTimestamp(in, out);
          case PAYLOAD -> readPayload(in, out);
        }
      }
    } catch (ProtocolException e) {
      state = State.FAILED;
      failure = e.getMessage();
      throw e;
    }
  }

  private void readBasicHeader(ByteBuf in, Consumer<RtmpMessage> out) throws ProtocolException {
    int first = in.readUnsignedByte();
    fmt = first >>> 6;
    int id = first & 0x3F;
    // §5.3.1.1: ids 0 and 1 announce a 2- or 3-byte basic header.
    if (id > 1) {
      startChunk(in, id, out);
    } else {
      extraIdBytes = id + 1;
      state = State.CHUNK_STREAM_ID;
    }
  }

  private void readChunkStreamId(ByteBuf in, Consumer<RtmpMessage> out) throws ProtocolException {
    ByteBuf field = field(in, extraIdBytes);
    if (field == null) {
      return;
    }
    // §5.3.1.1: the 3-byte form carries (id - 64) little-endian.
    int id = extraIdBytes == 1 ? field.readUnsignedByte() : field.readUnsignedShortLE();
    startChunk(in, 64 + id, out);
  }

  private void startChunk(ByteBuf in, int chunkStreamId, Consumer<RtmpMessage> out) throws ProtocolException {
    ChunkStream stream = streams.get(chunkStreamId);
    if (stream == null) {
      // §5.3.1.2.1: type 0 must start a chunk stream; 1, 2 and 3 refer to state that does not exist.
      if (fmt != 0) {
        throw new ProtocolException("chunk type " + fmt + " on chunk stream " + chunkStreamId
            + " before any type 0 chunk");
      }
      if (streams.size() == maxChunkStreams) {
        throw new ProtocolException("chunk stream " + chunkStreamId + " exceeds max-chunk-streams "
            + maxChunkStreams);
      }
      stream = new ChunkStream(chunkStreamId);
      streams.put(chunkStreamId, stream);
    }
    if (fmt != 3 && stream.payload != null) {
      throw new ProtocolException("new message header (chunk type " + fmt + ") on chunk stream "
          + chunkStreamId + " while a message has " + stream.payload.readableBytes() + " of "
          + stream.length + " bytes");
    }
    current = stream;
    if (fmt != 3) {
      state = State.MESSAGE_HEADER;
    } else if (stream.extended) {
      // §5.3.1.3: a type 3 chunk repeats the Extended Timestamp when the header it reuses had one.
      state = State.EXTENDED_TIMESTAMP;
    } else {
      if (stream.payload == null) {
        // §5.3.1.2.4: a type 3 chunk starting a message reuses the previous timestamp delta.
        advanceTimestamp(stream.delta);
      }
      startPayload(in, out);
    }
  }

  private void readMessageHeader(ByteBuf in, Consumer<RtmpMessage> out) throws ProtocolException {
    ByteBuf field = field(in, MESSAGE_HEADER_LENGTH[fmt]);
    if (field == null) {
      return;
    }
    ChunkStream stream = current;
    int timestamp = field.readUnsignedMedium();
    if (fmt <= 1) {
      int length = field.readUnsignedMedium();
      int typeId = field.readUnsignedByte();
      // Checked before anything is allocated for the message.
      if (length > maxMessageSize) {
        throw new ProtocolException(ProtocolException.Kind.MESSAGE_TOO_LONG,
            "message length " + length + " exceeds " + maxMessageSizeName + " " + maxMessageSize);
      }
      stream.length = length;
      stream.typeId = typeId;
    }
    if (fmt == 0) {
      // §5.3.1.2.1: the message stream id is the one little-endian field.
      stream.messageStreamId = field.readIntLE();
    }
    stream.extended = timestamp == ChunkFormat.EXTENDED_TIMESTAMP;
    if (stream.extended) {
      state = State.EXTENDED_TIMESTAMP;
    } else {
      advanceTimestamp(timestamp);
      startPayload(in, out);
    }
  }

  private void readExtendedTimestamp(ByteBuf in, Consumer<RtmpMessage> out)
      throws ProtocolException {
    ByteBuf field = field(in, 4);
    if (field == null) {
      return;
    }
    long timestamp = field.readUnsignedInt();
    // On a type 3 chunk continuing a message the field repeats the header's value (as ffmpeg and
    // librtmp send it); the message timestamp was fixed by its first chunk.
    if (fmt != 3 || current.payload == null) {
      advanceTimestamp(timestamp);
    }
    startPayload(in, out);
  }

  /**
   * Applies the timestamp field of a chunk that starts a message: absolute for type 0, a delta
   * otherwise (§5.3.1.2). The field also becomes the delta a later type 3 chunk reuses; after a
   * type 0 chunk that is its timestamp (§5.3.1.2.4).
   */
  private void advanceTimestamp(long field) {
    ChunkStream stream = current;
    stream.timestamp = fmt == 0 ? field : (stream.timestamp + field) & ChunkFormat.TIMESTAMP_MASK;
    stream.delta = field;
  }

  private void startPayload(ByteBuf in, Consumer<RtmpMessage> out) throws ProtocolException {
    ChunkStream stream = current;
    state = State.BASIC_HEADER;
    if (stream.length == 0) {
      // A zero-length message is one chunk without data. EMPTY_BUFFER has no capacity, so sharing it
      // between messages cannot leak bytes from one to another.
      complete(stream, Unpooled.EMPTY_BUFFER, out);
      return;
    }
    int received = stream.payload == null ? 0 : stream.payload.readableBytes();
    chunkRemaining = Math.min(chunkSize, stream.length - received);
    // The whole chunk is counted before any of it is stored, so the limit holds for any input split.
    incompleteBytes += chunkRemaining;
    if (incompleteBytes > maxIncompleteBytes) {
      throw new ProtocolException("incomplete messages would hold " + incompleteBytes
          + " bytes, exceeding max-incomplete-bytes " + maxIncompleteBytes);
    }
    if (stream.payload == null) {
      // Sized by the data at hand, capped by the message length; it grows as more arrives. A header
      // alone takes no heap, however long the message it announces.
      incomplete.start(stream, Math.min(chunkRemaining, in.readableBytes()), now);
    }
    state = State.PAYLOAD;
  }

  private void readPayload(ByteBuf in, Consumer<RtmpMessage> out) throws ProtocolException {
    ChunkStream stream = current;
    int n = Math.min(chunkRemaining, in.readableBytes());
    incomplete.append(stream, in, n);
    chunkRemaining -= n;
    if (chunkRemaining > 0) {
      return;
    }
    state = State.BASIC_HEADER;
    if (stream.payload.readableBytes() == stream.length) {
      ByteBuf payload = incomplete.end(stream);
      incompleteBytes -= stream.length;
      complete(stream, payload, out);
    }
  }

  private void complete(ChunkStream stream, ByteBuf payload, Consumer<RtmpMessage> out)
      throws ProtocolException {
    RtmpMessage message = new RtmpMessage(
        stream.chunkStreamId, stream.typeId, stream.messageStreamId, stream.timestamp, payload);
    // §5.4.1, §5.4.2: these govern the very next chunk, so they cannot wait for the consumer.
    if (message.typeId() == MessageType.SET_CHUNK_SIZE) {
      setChunkSize(payload);
    } else if (message.typeId() == MessageType.ABORT) {
      abort(payload);
    }
    out.accept(message);
    incomplete.consumed(stream, payload);
  }

  private void setChunkSize(ByteBuf payload) throws ProtocolException {
    if (payload.readableBytes() != 4) {
      throw new ProtocolException(
          "set chunk size payload has " + payload.readableBytes() + " bytes, expected 4");
    }
    // §5.4.1: the top bit must be zero; as maxChunkSize <= 2^31 - 1, the range check covers it.
    long size = payload.getUnsignedInt(payload.readerIndex());
    if (size < 1 || size > maxChunkSize) {
      throw new ProtocolException(
          "set chunk size " + size + " is outside 1.." + maxChunkSize + " (max-chunk-size)");
    }
    chunkSize = (int) size;
  }

  private void abort(ByteBuf payload) throws ProtocolException {
    if (payload.readableBytes() != 4) {
      throw new ProtocolException(
          "abort payload has " + payload.readableBytes() + " bytes, expected 4");
    }
    ChunkStream stream = streams.get(payload.getInt(payload.readerIndex()));
    if (stream != null && stream.payload != null) {
      incompleteBytes -= stream.payload.readableBytes();
      incomplete.end(stream);
    }
  }

  /**
   * Returns a buffer whose next {@code length} readable bytes are the header field, or null when
   * the input ended first; then the input's bytes are kept for the next call.
   */
  private ByteBuf field(ByteBuf in, int length) {
    if (!partialField.isReadable()) {
      if (in.readableBytes() >= length) {
        return in;
      }
      partialField.clear();
    }
    partialField.writeBytes(in, Math.min(length - partialField.readableBytes(), in.readableBytes()));
    return partialField.readableBytes() == length ? partialField : null;
  }
}
