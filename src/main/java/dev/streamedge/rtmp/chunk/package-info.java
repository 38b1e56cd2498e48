/**
 * The RTMP chunk stream (RTMP 1.0 §5.3), pure: the decoder that reassembles messages within configured
 * limits, the encoder (self-contained fmt-0 chunks for fan-out), and aggregate messages. Where is an
 * oversized chunk refused? {@code ChunkDecoder}.
 */
package dev.streamedge.rtmp.chunk;
