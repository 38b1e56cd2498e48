package dev.streamedge.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * RTMP tunnelled over HTTP (RTMPT), served on {@code http.port} and on the extra {@link #ports}.
 *
 * @param ports extra TCP ports (on {@code http.host}) that serve RTMPT alone, comma-separated; "" for none
 * @param maxSessions the most RTMPT sessions open at once on the node
 * @param sessionTimeout a session that makes no request for this long is closed
 * @param idleWait how long an {@code /idle} request is held when there is nothing to send
 * @param maxQueuedBytes bytes a session holds for its client to fetch: at half of it the session's
 *     players stop writing, as at a full socket; at all of it the session is closed
 * @param maxRequestBody the largest body of one {@code /send} request
 */
public record RtmptConfig(String ports, int maxSessions, Duration sessionTimeout, Duration idleWait,
    ByteSize maxQueuedBytes, ByteSize maxRequestBody) {

  /** The extra ports, in the order given. */
  public List<Integer> portList() {
    return ports.isEmpty() ? List.of() : Arrays.stream(ports.split(",")).map(Integer::valueOf).toList();
  }
}
