/**
 * RTSP 1.0 (RFC 2326) for play and publish, pure: bytes in, records out, no Vert.x I/O. {@link
 * dev.streamedge.rtsp.RtspDecoder} reads what a client sends on its TCP connection, a message a call: an
 * {@link dev.streamedge.rtsp.RtspRequest}, or an {@link dev.streamedge.rtsp.InterleavedFrame} (§10.12: a
 * publisher's RTP and RTCP, a player's RTCP reports), within limits on header and body size, refusing anything else
 * with an {@link dev.streamedge.rtsp.RtspFormatException} that carries the status to answer with; {@link
 * dev.streamedge.rtsp.RtspResponse} writes the answers. {@link dev.streamedge.rtsp.TransportSpec} reads a
 * SETUP's Transport header and writes the server's, {@link dev.streamedge.rtsp.RtspTarget} reads the stream
 * and track a URI names. What ffmpeg, GStreamer and live555 (VLC) send is what the tests hold it to.
 *
 * <p>For a client that pulls a stream from a camera or another server, the other direction: {@link
 * dev.streamedge.rtsp.RtspSourceUrl} reads the source's URL, {@link dev.streamedge.rtsp.RtspRequests} writes
 * the requests, {@link dev.streamedge.rtsp.RtspDecoder#forReplies} reads the server's {@link
 * dev.streamedge.rtsp.RtspReply} replies and interleaved frames, {@link dev.streamedge.rtsp.RtspAuthenticator}
 * answers a 401's challenges, {@link dev.streamedge.rtsp.SessionHeader} reads a SETUP reply's session, and
 * {@link dev.streamedge.rtsp.RtspUris} builds the tracks' URIs from a DESCRIBE reply (§C.1.1).
 */
package dev.streamedge.rtsp;
