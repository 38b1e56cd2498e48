package dev.streamedge.auth;

import dev.streamedge.stream.StreamKey;
import java.util.List;
import java.util.Map;

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
 * @param session more fields of the callbacks' form, after ours: for RTMP, nginx-rtmp's session fields
 *     ({@code flashver}, {@code swfurl}, {@code pageurl}, {@code clientid}) and its command's ({@code type} of a
 *     publish; {@code start}, {@code duration}, {@code reset} of a play); none for HTTP
 */
public record AuthRequest(AuthAction action, StreamKey key, String query, String addr, String peer, String protocol,
    String tcUrl, List<Map.Entry<String, String>> session) {

  /** A request with no session fields: an HTTP one. */
  public AuthRequest(AuthAction action, StreamKey key, String query, String addr, String peer, String protocol,
      String tcUrl) {
    this(action, key, query, addr, peer, protocol, tcUrl, List.of());
  }
}
