package dev.streamedge.rtsp;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An RTSP response (RFC 2326 §7) as a client's {@link RtspDecoder#forReplies} decoder read it. (The server
 * writes its own responses with {@link RtspResponse}; this is the other direction.)
 *
 * @param status the Status-Code, 100 to 599 (§7.1.1)
 * @param reason the Reason-Phrase as sent, possibly empty: for a log line, never for a decision
 * @param cseq the CSeq header's value, or -1 when it is absent or not a non-negative int; it tells which request
 *     this answers (§12.17)
 * @param headers the headers, names lower-cased (header names are case-insensitive, RFC 2616 §4.2), in the
 *     order sent; a name sent twice holds both values joined by {@code ", "} (two WWW-Authenticate headers
 *     become one challenge list, as RFC 7235 §4.1 allows)
 * @param body the body, Content-Length bytes (empty when there is none): a DESCRIBE's SDP, or whatever page a
 *     server sends with a 401
 */
public record RtspReply(int status, String reason, int cseq, Map<String, String> headers, byte[] body)
    implements RtspMessage {

  /** Lower-cases the header names, so that {@link #header} finds what a caller built by hand as well. */
  public RtspReply {
    Map<String, String> lower = new LinkedHashMap<>();
    headers.forEach((name, value) -> lower.merge(name.toLowerCase(Locale.ROOT), value, (a, b) -> a + ", " + b));
    headers = Collections.unmodifiableMap(lower);
    reason = reason == null ? "" : reason;
    body = body == null ? new byte[0] : body;
  }

  /** The value of header {@code name} (any case), or null when the reply has none. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  // A record compares arrays by identity; replies decoded twice from the same bytes should be equal.
  @Override
  public boolean equals(Object other) {
    return other instanceof RtspReply r && status == r.status && reason.equals(r.reason) && cseq == r.cseq
        && headers.equals(r.headers) && Arrays.equals(body, r.body);
  }

  @Override
  public int hashCode() {
    return ((status * 31 + reason.hashCode()) * 31 + cseq) * 31 + headers.hashCode() * 31 + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "RtspReply[" + status + " " + reason + " CSeq " + cseq + " " + headers + " body " + body.length
        + " bytes]";
  }
}
