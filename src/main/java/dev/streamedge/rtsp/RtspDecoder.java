package dev.streamedge.rtsp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads what an RTSP play client sends on its TCP connection: requests (RFC 2326 §6, with the message format
 * of §4 and the headers of §12) and interleaved binary frames (§10.12), one message a call. Pure: bytes in,
 * records out, no I/O.
 *
 * <p>The contract with the caller, who keeps a cumulation buffer of what the connection brought: {@link
 * #decode} consumes the bytes of a message only when it returns that message. When the buffer holds only part
 * of one, it returns null and consumes nothing; the caller appends what arrives next to the same buffer, at
 * its writer index, and calls again. Stray CR/LF between messages (§4: a client may send an empty line after a
 * message) are consumed with the message that follows them. The decoder remembers how far it has scanned, so
 * feeding a message a byte at a time costs as much as feeding it whole; for that the caller must leave the
 * bytes before the writer index as they are between calls (one decoder per connection and buffer).
 *
 * <p>Limits, so that a client cannot make the server hold more than {@code 2 * maxHeaderBytes +
 * maxBodyBytes} bytes (interleaved frames: at most 65,539) nor allocate more than the header section and
 * body: a header section (request line, headers and the empty line, terminators included) of at most {@code
 * maxHeaderBytes}, refused as soon as more are buffered without its end; at most {@code maxHeaderBytes} of
 * stray CR/LF; at most 64 headers; a Content-Length of at most {@code maxBodyBytes}. The header section must
 * be US-ASCII (RFC 2326 allows UTF-8 only in some header values, which a play server has no use for).
 *
 * <p>After a {@link RtspFormatException} the connection has lost its place in the stream: every further call
 * throws it again and returns nothing, since the server closes the connection anyway.
 */
public final class RtspDecoder {

  /** Where the decoder stands in the message it is reading. */
  enum State {
    /** Between messages: skipping stray CR/LF, then deciding between a request and a frame by its first byte. */
    START,
    /** Reading an interleaved frame: its 4-byte header and data. */
    INTERLEAVED,
    /** Scanning a request's header section for the empty line that ends it. */
    HEADERS,
    /** Header section read; waiting for Content-Length bytes of body. */
    BODY,
    /** A message was malformed: everything after it is refused. */
    FAILED
  }

  /** More headers than any client sends (ffmpeg, GStreamer and live555 send at most 8 in a play session). */
  static final int MAX_HEADERS = 64;
  /** RTSP's methods are at most 13 characters (SET_PARAMETER); room for extensions, no room for abuse. */
  static final int MAX_METHOD_LENGTH = 32;
  private static final byte DOLLAR = '$';

  private final int maxHeaderBytes;
  private final int maxBodyBytes;

  private State state = State.START;
  // The offsets below count from the reader index of the caller's buffer: nothing is consumed before the end.
  private int skipped;
  private int scanned;
  private int lineStart;
  private int headerLength;
  private int contentLength;
  private RtspRequest head;
  private int failedStatus;
  private String failedMessage;

  /**
   * @param maxHeaderBytes the most bytes a request's header section may take, terminators included
   * @param maxBodyBytes the largest Content-Length accepted
   * @throws IllegalArgumentException when a limit is not positive
   */
  public RtspDecoder(int maxHeaderBytes, int maxBodyBytes) {
    if (maxHeaderBytes <= 0 || maxBodyBytes <= 0) {
      throw new IllegalArgumentException("limits must be positive: maxHeaderBytes " + maxHeaderBytes
          + ", maxBodyBytes " + maxBodyBytes);
    }
    this.maxHeaderBytes = maxHeaderBytes;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Returns the next complete message in {@code in}, consuming its bytes (and the stray CR/LF before it), or
   * null, consuming nothing, when {@code in} holds only part of one.
   *
   * @throws RtspFormatException when the bytes are no RTSP 1.0 message within the limits, or a message was
   *     refused before; its status is the answer to send before closing
   */
  public RtspMessage decode(ByteBuf in) throws RtspFormatException {
    if (state == State.FAILED) {
      throw new RtspFormatException(failedStatus, failedMessage);
    }
    try {
      return next(in);
    } catch (RtspFormatException e) {
      state = State.FAILED;
      failedStatus = e.status();
      failedMessage = e.getMessage();
      throw e;
    }
  }

  /** The state, for tests. */
  State state() {
    return state;
  }

  private RtspMessage next(ByteBuf in) throws RtspFormatException {
    int available = in.readableBytes();
    if (available < (long) skipped + scanned) {
      // The caller broke the contract and took bytes away: scanning again is the least wrong thing to do.
      reset();
    }
    int reader = in.readerIndex();
    if (state == State.START) {
      while (skipped < available) {
        byte b = in.getByte(reader + skipped);
        if (b != '\r' && b != '\n') {
          break;
        }
        skipped++;
      }
      if (skipped > maxHeaderBytes) {
        throw new RtspFormatException("more than " + maxHeaderBytes + " bytes of CR/LF between messages");
      }
      if (skipped == available) {
        return null;
      }
      state = in.getByte(reader + skipped) == DOLLAR ? State.INTERLEAVED : State.HEADERS;
    }
    int start = reader + skipped;
    int left = available - skipped;
    return switch (state) {
      case INTERLEAVED -> interleaved(in, start, left);
      case HEADERS -> headers(in, start, left);
      case BODY -> body(in, start, left);
      default -> throw new IllegalStateException(state.name());
    };
  }

  private RtspMessage interleaved(ByteBuf in, int start, int left) {
    if (left < 4) {
      return null;
    }
    int channel = in.getUnsignedByte(start + 1);
    int length = in.getUnsignedShort(start + 2);
    if (left - 4 < length) {
      return null;
    }
    ByteBuf data = in.slice(start + 4, length);
    in.skipBytes(skipped + 4 + length);
    reset();
    return new InterleavedFrame(channel, data);
  }

  private RtspMessage headers(ByteBuf in, int start, int left) throws RtspFormatException {
    int limit = Math.min(left, maxHeaderBytes);
    while (scanned < limit) {
      int b = in.getUnsignedByte(start + scanned);
      if (b >= 0x80) {
        throw new RtspFormatException("byte 0x" + Integer.toHexString(b) + " at " + scanned
            + " of the header section: not US-ASCII");
      }
      scanned++;
      if (b == '\n') {
        int lineLength = scanned - 1 - lineStart;
        if (lineLength == 0 || lineLength == 1 && in.getByte(start + lineStart) == '\r') {
          headerLength = scanned;
          head = parseHead(in.toString(start, headerLength, StandardCharsets.ISO_8859_1));
          state = State.BODY;
          return body(in, start, left);
        }
        lineStart = scanned;
      }
    }
    if (left > maxHeaderBytes) {
      throw new RtspFormatException("header section over " + maxHeaderBytes + " bytes");
    }
    return null;
  }

  private RtspMessage body(ByteBuf in, int start, int left) {
    if ((long) left < (long) headerLength + contentLength) {
      return null;
    }
    byte[] body = new byte[contentLength];
    in.getBytes(start + headerLength, body);
    in.skipBytes(skipped + headerLength + contentLength);
    RtspRequest request = new RtspRequest(head.method(), head.uri(), head.cseq(), head.headers(), body);
    reset();
    return request;
  }

  private void reset() {
    state = State.START;
    skipped = 0;
    scanned = 0;
    lineStart = 0;
    headerLength = 0;
    contentLength = 0;
    head = null;
  }

  /** Parses a header section that ends with its empty line; sets {@link #contentLength}. */
  private RtspRequest parseHead(String section) throws RtspFormatException {
    int end = section.indexOf('\n');
    String requestLine = stripCr(section.substring(0, end));
    int pos = end + 1;
    checkNoControl(requestLine, "request line", false);
    int sp1 = requestLine.indexOf(' ');
    int sp2 = sp1 < 0 ? -1 : requestLine.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 < 0 || sp2 == sp1 + 1 || sp2 == requestLine.length() - 1
        || requestLine.indexOf(' ', sp2 + 1) >= 0) {
      throw new RtspFormatException("request line " + quote(requestLine) + " is not METHOD URI RTSP/1.0");
    }
    String method = requestLine.substring(0, sp1);
    String uri = requestLine.substring(sp1 + 1, sp2);
    String version = requestLine.substring(sp2 + 1);
    checkVersion(version);
    if (method.length() > MAX_METHOD_LENGTH || !isToken(method)) {
      throw new RtspFormatException("method " + quote(method) + " is not 1 to " + MAX_METHOD_LENGTH
          + " token characters");
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
      if (++count > MAX_HEADERS) {
        throw new RtspFormatException("more than " + MAX_HEADERS + " headers");
      }
      char first = line.charAt(0);
      if (first == ' ' || first == '\t') {
        // Obsolete line folding (RFC 2616 §2.2): no RTSP client folds, and unfolding invites smuggling.
        throw new RtspFormatException("header line " + quote(line) + " continues the one before (line folding)");
      }
      int colon = line.indexOf(':');
      String name = colon < 0 ? line : line.substring(0, colon);
      if (colon <= 0 || !isToken(name)) {
        throw new RtspFormatException("header line " + quote(line) + " is not Name: value");
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
    contentLength = contentLengthValue == null ? 0 : contentLength(contentLengthValue);
    return new RtspRequest(method, uri, cseq(headers.get("cseq")), headers, new byte[0]);
  }

  private static void checkVersion(String version) throws RtspFormatException {
    if (version.equals("RTSP/1.0")) {
      return;
    }
    // RTSP-Version = "RTSP" "/" 1*DIGIT "." 1*DIGIT (§6.1): another version gets 505, anything else 400.
    int dot = version.indexOf('.');
    if (version.startsWith("RTSP/") && dot > 5 && dot < version.length() - 1 && version.length() <= 16
        && allDigits(version, 5, dot) && allDigits(version, dot + 1, version.length())) {
      throw new RtspFormatException(505, "RTSP version " + version.substring(5) + " not supported");
    }
    throw new RtspFormatException("protocol " + quote(version) + " is not RTSP/1.0");
  }

  private int contentLength(String value) throws RtspFormatException {
    if (value.startsWith("-")) {
      throw new RtspFormatException("Content-Length " + quote(value) + " is negative");
    }
    if (value.isEmpty() || value.length() > 10 || !allDigits(value, 0, value.length())) {
      throw new RtspFormatException("Content-Length " + quote(value) + " is not a number");
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

  /** Whether {@code text} is a token (RFC 2616 §2.2): 1 or more CHARs that are neither CTLs nor separators. */
  static boolean isToken(String text) {
    if (text.isEmpty()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= 0x20 || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** Client text for an exception message: short, so that a log line stays a line. */
  static String quote(String text) {
    String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
    StringBuilder out = new StringBuilder(shown.length() + 2).append('"');
    for (int i = 0; i < shown.length(); i++) {
      char c = shown.charAt(i);
      out.append(c < 0x20 || c >= 0x7f ? '?' : c);
    }
    return out.append('"').toString();
  }
}
