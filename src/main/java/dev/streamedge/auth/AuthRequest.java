package dev.streamedge.auth;

import dev.streamedge.stream.StreamKey;

/**
 * One publish or play to check, whatever the protocol.
 *
 * @param action publish or play
 * @param key the stream
 * @param query the raw query of the stream name or URL, without '?'; may be empty
 * @param addr the client's IP address, as callbacks get it
 * @param peer the client as log lines name it (address and port)
 * @param protocol rtmp, rtmps, hls, http-flv or ws-flv
 * @param tcUrl the RTMP connect's tcUrl; empty for HTTP
 */
public record AuthRequest(AuthAction action, StreamKey key, String query, String addr, String peer, String protocol,
    String tcUrl) {
}
