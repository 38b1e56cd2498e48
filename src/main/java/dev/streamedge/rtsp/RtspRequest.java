package dev.streamedge.rtsp;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An RTSP request (RFC 2326 §6) as {@link RtspDecoder} read it.
 *
 * @param method the method as sent, e.g. {@code OPTIONS} (RTSP methods are case-sensitive, §6.1)
 * @param uri the Request-URI as sent, e.g. {@code rtsp://127.0.0.1:8554/live/test}
 * @param cseq the CSeq header's value, or -1 when it is absent or not a non-negative int: the server still
 *     answers (§12.17), without a CSeq
 * @param headers the headers, names lower-cased (header names are case-insensitive, RFC 2616 §4.2), in the
 *     order sent; a name sent twice holds both values joined by {@code ", "}
 * @param body the body, Content-Length bytes (empty when there is none)
 */
public record RtspRequest(String method, String uri, int cseq, Map<String, String> headers, byte[] body)
    implements RtspMessage {

  /** Lower-cases the header names, so that {@link #header} finds what a caller built by hand as well. */
  public RtspRequest {
    Map<String, String> lower = new LinkedHashMap<>();
    headers.forEach((name, value) -> lower.merge(name.toLowerCase(Locale.ROOT), value, (a, b) -> a + ", " + b));
    headers = Collections.unmodifiableMap(lower);
    body = body == null ? new byte[0] : body;
  }

  /** The value of header {@code name} (any case), or null when the request has none. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  // A record compares arrays by identity; requests decoded twice from the same bytes should be equal.
  @Override
  public boolean equals(Object other) {
    return other instanceof RtspRequest r && method.equals(r.method) && uri.equals(r.uri) && cseq == r.cseq
        && headers.equals(r.headers) && Arrays.equals(body, r.body);
  }

  @Override
  public int hashCode() {
    return ((method.hashCode() * 31 + uri.hashCode()) * 31 + cseq) * 31 + headers.hashCode() * 31
        + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "RtspRequest[" + method + " " + uri + " CSeq " + cseq + " " + headers + " body " + body.length
        + " bytes]";
  }
}
