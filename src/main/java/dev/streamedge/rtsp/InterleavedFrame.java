package dev.streamedge.rtsp;

/**
 * An interleaved binary frame (RFC 2326 §10.12): {@code $}, a channel byte, a 16-bit big-endian length, then
 * that many bytes of data. A play client sends its RTCP receiver reports this way over TCP; the server only
 * needs to know one came, so {@link RtspDecoder} skips the data and keeps the channel and length.
 *
 * @param channel the channel, 0 to 255 (the Transport header's interleaved channels)
 * @param length the length of the data that was skipped, 0 to 65535
 */
public record InterleavedFrame(int channel, int length) implements RtspMessage {
}
