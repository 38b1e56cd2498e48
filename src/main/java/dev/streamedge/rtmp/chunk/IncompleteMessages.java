package dev.streamedge.rtmp.chunk;

import io.netty.buffer.ByteBuf;

/**
 * The messages of one decoder that have started and not completed: the heap their buffers take, and
 * which one started first. A doubly linked list through the chunk streams keeps them in start order,
 * so that every change is O(1) whichever chunk stream completes first.
 */
final class IncompleteMessages {

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

  /** A message starts on {@code stream}, to be gathered in {@code payload}. */
  void start(ChunkStream stream, ByteBuf payload, long nowNanos) {
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
