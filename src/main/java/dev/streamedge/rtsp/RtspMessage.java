package dev.streamedge.rtsp;

/**
 * What {@link RtspDecoder} reads from an RTSP TCP connection: a request (RFC 2326 §6) from a client, or a reply
 * (§7) from a server to a client that pulls a stream (a decoder made by {@link RtspDecoder#forReplies}), or an
 * interleaved binary frame (§10.12) that shares the connection with either.
 */
public sealed interface RtspMessage permits RtspRequest, RtspReply, InterleavedFrame {
}
