package dev.streamedge.rtmp.chunk;

/** Wire constants of the RTMP chunk stream shared by the decoder and the encoders (RTMP 1.0 §5.3). */
final class ChunkFormat {

  /** Chunk size in both directions until a Set Chunk Size message changes it (§5.4.1). */
  static final int DEFAULT_CHUNK_SIZE = 128;

  /** A 24-bit timestamp field with this value means a 4-byte Extended Timestamp follows (§5.3.1.3). */
  static final int EXTENDED_TIMESTAMP = 0xFFFFFF;

  /** The message length field is 24 bits wide (§5.3.1.2.1). */
  static final int MAX_MESSAGE_LENGTH = 0xFFFFFF;

  /** Chunk stream ids 0 and 1 select the 2- and 3-byte basic header; 2 is the lowest real id (§5.3.1.1). */
  static final int MIN_CHUNK_STREAM_ID = 2;

  /** 64 + 0xFFFF, the largest id the 3-byte basic header can carry (§5.3.1.1). */
  static final int MAX_CHUNK_STREAM_ID = 65599;

  /** Timestamps are 32-bit unsigned and wrap (§5.3.1.2.5, RTMP 1.0 §4). */
  static final long TIMESTAMP_MASK = 0xFFFFFFFFL;

  private ChunkFormat() {
  }
}
