package dev.streamedge.rtmp.chunk;

import io.netty.buffer.ByteBuf;

/** What a chunk stream remembers from its previous chunks (RTMP 1.0 §5.3.1.2). */
final class ChunkStream {
  final int chunkStreamId;
  long timestamp;
  /** The delta a type 3 chunk starting a message adds (§5.3.1.2.4). */
  long delta;
  /** Whether the last type 0/1/2 header had an Extended Timestamp (§5.3.1.3). */
  boolean extended;
  int length;
  int typeId;
  int messageStreamId;
  /** The incomplete message's bytes so far, or null between messages. */
  ByteBuf payload;
  /**
   * The buffer of this stream's last message, cleared, for its next one when the decoder's consumer
   * takes payloads only for the call ({@link ChunkDecoder#reusePayloads}); else always null.
   */
  ByteBuf spare;
  /** When the incomplete message's first chunk header was read (System.nanoTime()). */
  long startedNanos;
  /** Neighbours in the list of incomplete messages, by start time. */
  ChunkStream older;
  ChunkStream newer;

  ChunkStream(int chunkStreamId) {
    this.chunkStreamId = chunkStreamId;
  }
}
