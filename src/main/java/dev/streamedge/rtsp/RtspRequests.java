package dev.streamedge.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes an RTSP 1.0 request (RFC 2326 §6) as a client sends it: request line, CSeq (§12.17, which every
 * request carries), the caller's headers in order, Content-Length (§12.14) when there is a body, the empty
 * line, the body. Pure: bytes out, no I/O. The counterpart of {@link RtspResponse} for the other direction.
 *
 * <p>Every value must be printable US-ASCII: what goes into a request (a URL from the configuration, a
 * session id or nonce a server sent) could otherwise end the line and add headers of its own (header
 * injection), and a space in the URI would make a request line of four words.
 */
public final class RtspRequests {

  private RtspRequests() {
  }

  /**
   * The request's bytes.
   *
   * @param method the method, e.g. {@code DESCRIBE}: a token (RFC 2326 §6.1, case-sensitive)
   * @param uri the Request-URI, e.g. {@code rtsp://192.168.1.64/Streaming/Channels/101} or {@code *}
   * @param cseq the sequence number, 0 or more
   * @param headers the other headers, in order; neither CSeq nor Content-Length, which this writes itself
   * @param body the body, or null or empty for none
   * @throws IllegalArgumentException when the method or a header name is no token, the URI is empty or holds
   *     a space, a value holds a control character (CR and LF among them) or a non-ASCII one, or the CSeq is
   *     negative: the client built a request it must not send, a programming error or a value to refuse
   */
  public static ByteBuf encode(String method, String uri, int cseq, List<Map.Entry<String, String>> headers,
      byte[] body) {
    if (method == null || !RtspDecoder.isToken(method)) {
      throw new IllegalArgumentException("method " + show(method) + " is not a token");
    }
    if (uri == null || uri.isEmpty() || uri.indexOf(' ') >= 0) {
      throw new IllegalArgumentException("URI " + show(uri) + " is empty or holds a space");
    }
    checkPrintable(uri, "URI");
    if (cseq < 0) {
      throw new IllegalArgumentException("CSeq " + cseq + " is negative");
    }
    StringBuilder head = new StringBuilder(128);
    head.append(method).append(' ').append(uri).append(" RTSP/1.0\r\n");
    head.append("CSeq: ").append(cseq).append("\r\n");
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey();
      String value = header.getValue();
      if (name == null || !RtspDecoder.isToken(name)) {
        throw new IllegalArgumentException("header name " + show(name) + " is not a token");
      }
      if (name.equalsIgnoreCase("CSeq") || name.equalsIgnoreCase("Content-Length")) {
        // Written from the arguments; a second one would contradict it.
        throw new IllegalArgumentException(name + " is written by encode, not passed as a header");
      }
      if (value == null) {
        throw new IllegalArgumentException("header " + name + " has no value");
      }
      checkPrintable(value, "header " + name);
      head.append(name).append(": ").append(value).append("\r\n");
    }
    int bodyLength = body == null ? 0 : body.length;
    if (bodyLength > 0) {
      head.append("Content-Length: ").append(bodyLength).append("\r\n");
    }
    head.append("\r\n");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
    ByteBuf out = Unpooled.buffer(headBytes.length + bodyLength);
    out.writeBytes(headBytes);
    if (bodyLength > 0) {
      out.writeBytes(body);
    }
    return out;
  }

  /** Refuses control characters (CR, LF, HT, NUL, DEL...) and anything past US-ASCII. */
  private static void checkPrintable(String text, String where) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c >= 0x7f) {
        throw new IllegalArgumentException(where + " holds character 0x" + Integer.toHexString(c)
            + " at " + i + ": not printable US-ASCII");
      }
    }
  }

  /** The text for an exception message, without control characters and short: it may come from a server. */
  private static String show(String text) {
    return text == null ? "null" : RtspDecoder.quote(text);
  }
}
