package dev.streamedge.config;

import java.time.Duration;

/**
 * The RTSP listener for players and publishers (docs/rtsp.md).
 *
 * @param enabled whether the node listens for RTSP
 * @param host the address it binds to
 * @param port its TCP port
 * @param maxConnections the most RTSP connections at once
 * @param maxRequestSize the largest request (request line, headers and body) a client may send
 * @param idleTimeout a connection that has not started playing and sends no whole request for this long is closed
 * @param describeTimeout how long a DESCRIBE of a stream that is not live yet waits for its tracks
 * @param maxPacketSize the largest RTP payload, what a frame is cut to
 * @param maxFrameSize the largest frame put together from a publisher's RTP packets
 * @param tls the RTSPS listener (RTSP over TLS, {@code rtsps://}), which serves what the RTSP one does: the same
 *     settings as HTTPS's
 */
public record RtspConfig(boolean enabled, String host, int port, int maxConnections, ByteSize maxRequestSize,
    Duration idleTimeout, Duration describeTimeout, int maxPacketSize, ByteSize maxFrameSize, HttpConfig.Tls tls) {
}
