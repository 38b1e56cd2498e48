package dev.streamedge.rtsp;

/**
 * What {@link RtspDecoder} reads from a client's TCP connection: a request (RFC 2326 §6), or an interleaved
 * binary frame (RFC 2326 §10.12) that shares the connection with the requests.
 */
public sealed interface RtspMessage permits RtspRequest, InterleavedFrame {
}
