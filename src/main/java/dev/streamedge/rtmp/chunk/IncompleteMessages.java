package dev.streamedge.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The messages of one decoder that have started and not completed: the heap their buffers take, and
 * which one started first. A doubly linked list through the chunk streams keeps them in start order,
 * so that every change is O(1) whichever chunk stream completes first.
 */
final class IncompleteMessages {

  /**
   * The largest payload buffer kept for a chunk stream's next message when payloads are reused: a
   * high-rate keyframe fits, and a chunk stream holds no more than this between messages.
   */
  static final int MAX_SPARE_BYTES = 1024 * 1024;

  /** Whether a payload is the consumer's only while it is called, its buffer then kept for the stream. */
  private boolean reusePayloads;
  private ChunkStream oldest;
  private ChunkStream newest;
  /** The capacity of the payload buffers: the heap they take now. */
  private long bufferedBytes;

  long bufferedBytes() {
    return bufferedBytes;
  }

  /** The incomplete message that started first, or null when there is none. */
  ChunkStream oldest() {
    return oldest;
  }

  /** From now on, payloads are reused (see {@link ChunkDecoder#reusePayloads}). */
  void reusePayloads() {
    reusePayloads = true;
  }

  /**
   * A message starts on {@code stream}: gathered in a buffer of {@code initialCapacity} that may grow up
   * to the message's length, or in the stream's last message's buffer when payloads are reused (grown
   * as far as an earlier message made it; only this message's chunks are written to it).
   */
  void start(ChunkStream stream, int initialCapacity, long nowNanos) {
    ByteBuf payload = stream.spare;
    if (payload == null) {
      payload = Unpooled.buffer(initialCapacity, reusePayloads ? Integer.MAX_VALUE : stream.length);
    }
    stream.spare = null;
    stream.payload = payload;
    stream.startedNanos = nowNanos;
    bufferedBytes += payload.capacity();
    stream.older = newest;
    stream.newer = null;
    if (newest == null) {
      oldest = stream;
    } else {
      newest.newer = stream;
    }
    newest = stream;
  }

  /** Moves {@code length} bytes of {@code in} to the stream's message; its buffer may grow. */
  void append(ChunkStream stream, ByteBuf in, int length) {
    int capacity = stream.payload.capacity();
    stream.payload.writeBytes(in, length);
    bufferedBytes += stream.payload.capacity() - capacity;
  }

  /** The consumer returned from a complete message: its buffer takes the stream's next, if reused. */
  void consumed(ChunkStream stream, ByteBuf payload) {
    if (reusePayloads && payload.capacity() > 0 && payload.capacity() <= MAX_SPARE_BYTES) {
      stream.spare = payload.clear();
    }
  }

  /** The stream's message is complete or aborted: returns its payload, no longer counted here. */
  ByteBuf end(ChunkStream stream) {
    ByteBuf payload = stream.payload;
    stream.payload = null;
    bufferedBytes -= payload.capacity();
    if (stream.older == null) {
      oldest = stream.newer;
    } else {
      stream.older.newer = stream.newer;
    }
    if (stream.newer == null) {
      newest = stream.older;
    } else {
      stream.newer.older = stream.older;
    }
    stream.older = null;
    stream.newer = null;
    return payload;
  }
}
