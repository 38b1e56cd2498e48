package dev.streamedge.rtsp;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The header section of a request or a reply as {@link RtspDecoder} read it, before its body: the start line (a
 * Request-Line, RFC 2326 §6.1, or a Status-Line, §7.1), the headers (§4, §12) and the Content-Length (§12.14)
 * that says how many bytes of body follow. One parser for both directions, so that a server and a client read
 * headers, CSeq and Content-Length by the same rules; only the start line differs.
 *
 * @param method the request's method, or null for a reply
 * @param uri the request's Request-URI, or null for a reply
 * @param status the reply's status code, 100 to 599, or 0 for a request
 * @param reason the reply's reason phrase, possibly empty, or null for a request
 * @param headers the headers, names lower-cased, in the order sent; a name sent twice holds both values joined
 *     by {@code ", "}
 * @param cseq the CSeq, or -1 when absent or not a non-negative int
 * @param contentLength the length of the body, 0 without a Content-Length
 */
record MessageHead(String method, String uri, int status, String reason, Map<String, String> headers, int cseq,
    int contentLength) {

  /** The version this codec speaks, the first word of a status line and the last of a request line. */
  private static final String VERSION = "RTSP/1.0";

  /**
   * Parses a header section that ends with its empty line.
   *
   * @param section the header section, US-ASCII, with its terminators
   * @param reply whether a Status-Line is expected (what a server sends) rather than a Request-Line
   * @param maxBodyBytes the largest Content-Length accepted
   * @throws RtspFormatException when the section is no request (or reply) head within the limits
   */
  static MessageHead parse(String section, boolean reply, int maxBodyBytes) throws RtspFormatException {
    int end = section.indexOf('\n');
    String startLine = stripCr(section.substring(0, end));
    int pos = end + 1;
    String method = null;
    String uri = null;
    int status = 0;
    String reason = null;
    if (reply) {
      checkNoControl(startLine, "status line", true);
      int sp = startLine.indexOf(' ');
      String version = sp < 0 ? startLine : startLine.substring(0, sp);
      if (!version.startsWith("RTSP/") && startLine.endsWith(" " + VERSION)) {
        // A server may send requests (§10: ANNOUNCE, GET_PARAMETER, SET_PARAMETER, REDIRECT); none is read.
        throw new RtspFormatException("request line " + RtspDecoder.quote(startLine) + " where a reply was expected");
      }
      checkVersion(version);
      status = statusCode(startLine, sp);
      reason = startLine.length() > sp + 4 ? trim(startLine.substring(sp + 5)) : "";
    } else {
      checkNoControl(startLine, "request line", false);
      if (startLine.startsWith("RTSP/")) {
        throw new RtspFormatException("status line " + RtspDecoder.quote(startLine) + " where a request was expected");
      }
      int sp1 = startLine.indexOf(' ');
      int sp2 = sp1 < 0 ? -1 : startLine.indexOf(' ', sp1 + 1);
      if (sp1 <= 0 || sp2 < 0 || sp2 == sp1 + 1 || sp2 == startLine.length() - 1
          || startLine.indexOf(' ', sp2 + 1) >= 0) {
        throw new RtspFormatException("request line " + RtspDecoder.quote(startLine) + " is not METHOD URI RTSP/1.0");
      }
      method = startLine.substring(0, sp1);
      uri = startLine.substring(sp1 + 1, sp2);
      checkVersion(startLine.substring(sp2 + 1));
      if (method.length() > RtspDecoder.MAX_METHOD_LENGTH || !RtspDecoder.isToken(method)) {
        throw new RtspFormatException("method " + RtspDecoder.quote(method) + " is not 1 to "
            + RtspDecoder.MAX_METHOD_LENGTH + " token characters");
      }
    }
    Map<String, String> headers = new LinkedHashMap<>();
    int count = 0;
    String contentLengthValue = null;
    while (true) {
      end = section.indexOf('\n', pos);
      String line = stripCr(section.substring(pos, end));
      pos = end + 1;
      if (line.isEmpty()) {
        break;
      }
      if (++count > RtspDecoder.MAX_HEADERS) {
        throw new RtspFormatException("more than " + RtspDecoder.MAX_HEADERS + " headers");
      }
      char first = line.charAt(0);
      if (first == ' ' || first == '\t') {
        // Obsolete line folding (RFC 2616 §2.2): no RTSP peer folds, and unfolding invites smuggling.
        throw new RtspFormatException("header line " + RtspDecoder.quote(line)
            + " continues the one before (line folding)");
      }
      int colon = line.indexOf(':');
      String name = colon < 0 ? line : line.substring(0, colon);
      if (colon <= 0 || !RtspDecoder.isToken(name)) {
        throw new RtspFormatException("header line " + RtspDecoder.quote(line) + " is not Name: value");
      }
      String value = trim(line.substring(colon + 1));
      checkNoControl(value, "header " + name, true);
      String key = name.toLowerCase(Locale.ROOT);
      if (key.equals("content-length")) {
        if (contentLengthValue != null) {
          // Two lengths make two readings of where the body ends; refuse rather than pick one.
          throw new RtspFormatException("more than one Content-Length");
        }
        contentLengthValue = value;
      }
      headers.merge(key, value, (a, b) -> a + ", " + b);
    }
    // Without a Content-Length there is no body (§12.14), in replies too: RTSP has no "read until close".
    int contentLength = contentLengthValue == null ? 0 : contentLength(contentLengthValue, maxBodyBytes);
    return new MessageHead(method, uri, status, reason, headers, cseq(headers.get("cseq")), contentLength);
  }

  /** The message with its body: a {@link RtspRequest} or, for a status line, a {@link RtspReply}. */
  RtspMessage withBody(byte[] body) {
    return method == null ? new RtspReply(status, reason, cseq, headers, body)
        : new RtspRequest(method, uri, cseq, headers, body);
  }

  /**
   * The Status-Code after the version (§7.1.1): three digits, 100 to 599, then a space and the reason phrase,
   * or the end of the line (some servers send no reason phrase, and then no space either).
   */
  private static int statusCode(String line, int sp) throws RtspFormatException {
    if (sp < 0 || line.length() < sp + 4 || !allDigits(line, sp + 1, sp + 4)
        || line.length() > sp + 4 && line.charAt(sp + 4) != ' ') {
      throw new RtspFormatException("status line " + RtspDecoder.quote(line) + " is not RTSP/1.0 NNN Reason");
    }
    int status = Integer.parseInt(line.substring(sp + 1, sp + 4));
    if (status < 100 || status > 599) {
      throw new RtspFormatException("status code " + status + " is not 100 to 599");
    }
    return status;
  }

  private static void checkVersion(String version) throws RtspFormatException {
    if (version.equals(VERSION)) {
      return;
    }
    // RTSP-Version = "RTSP" "/" 1*DIGIT "." 1*DIGIT (§6.1): another version gets 505, anything else 400.
    int dot = version.indexOf('.');
    if (version.startsWith("RTSP/") && dot > 5 && dot < version.length() - 1 && version.length() <= 16
        && allDigits(version, 5, dot) && allDigits(version, dot + 1, version.length())) {
      throw new RtspFormatException(505, "RTSP version " + version.substring(5) + " not supported");
    }
    throw new RtspFormatException("protocol " + RtspDecoder.quote(version) + " is not RTSP/1.0");
  }

  private static int contentLength(String value, int maxBodyBytes) throws RtspFormatException {
    if (value.startsWith("-")) {
      throw new RtspFormatException("Content-Length " + RtspDecoder.quote(value) + " is negative");
    }
    if (value.isEmpty() || value.length() > 10 || !allDigits(value, 0, value.length())) {
      throw new RtspFormatException("Content-Length " + RtspDecoder.quote(value) + " is not a number");
    }
    long length = Long.parseLong(value);
    if (length > maxBodyBytes) {
      throw new RtspFormatException("Content-Length " + length + " over " + maxBodyBytes + " bytes");
    }
    return (int) length;
  }

  /** The CSeq (§12.17), or -1: a request without a usable one is still answered, without a CSeq. */
  private static int cseq(String value) {
    if (value == null || value.isEmpty() || value.length() > 10 || !allDigits(value, 0, value.length())) {
      return -1;
    }
    long cseq = Long.parseLong(value);
    return cseq > Integer.MAX_VALUE ? -1 : (int) cseq;
  }

  private static String stripCr(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  private static String trim(String value) {
    int from = 0;
    int to = value.length();
    while (from < to && (value.charAt(from) == ' ' || value.charAt(from) == '\t')) {
      from++;
    }
    while (to > from && (value.charAt(to - 1) == ' ' || value.charAt(to - 1) == '\t')) {
      to--;
    }
    return value.substring(from, to);
  }

  private static void checkNoControl(String text, String where, boolean tabAllowed) throws RtspFormatException {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c < 0x20 && !(tabAllowed && c == '\t')) || c == 0x7f) {
        throw new RtspFormatException("control character 0x" + Integer.toHexString(c) + " in " + where);
      }
    }
  }

  private static boolean allDigits(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
