package dev.streamedge.rtsp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads what an RTSP client sends on its TCP connection: requests (RFC 2326 §6, with the message format of §4
 * and the headers of §12) and interleaved binary frames (§10.12), one message a call. Pure: bytes in, records
 * out, no I/O. A decoder made by {@link #forReplies} reads the other direction, what a server sends to a client
 * that pulls a stream: replies (§7) and interleaved frames. Each mode refuses the other's messages: a status
 * line where a request was expected is malformed input, and so is a request line where a reply was (a server
 * may send its client requests, §10: ANNOUNCE, GET_PARAMETER, SET_PARAMETER, REDIRECT; a client that pulls a
 * stream reads none).
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
 * body: a header section (request or status line, headers and the empty line, terminators included) of at most
 * {@code maxHeaderBytes}, refused as soon as more are buffered without its end; at most {@code maxHeaderBytes} of
 * stray CR/LF; at most 64 headers; a Content-Length of at most {@code maxBodyBytes}. The header section must
 * be US-ASCII (RFC 2326 allows UTF-8 only in some header values, which a play server has no use for). A body
 * is as long as Content-Length says, in replies too (a 401's HTML page, say); without one there is none
 * (§12.14: RTSP has no "until the connection closes").
 *
 * <p>After a {@link RtspFormatException} the connection has lost its place in the stream: every further call
 * throws it again and returns nothing, since the server (or client) closes the connection anyway.
 */
public final class RtspDecoder {

  /** Where the decoder stands in the message it is reading. */
  enum State {
    /** Between messages: skipping stray CR/LF, then deciding between a message and a frame by its first byte. */
    START,
    /** Reading an interleaved frame: its 4-byte header and data. */
    INTERLEAVED,
    /** Scanning a request's (or reply's) header section for the empty line that ends it. */
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
  /** Whether this reads replies (what a server sends) rather than requests (what a client sends). */
  private final boolean replies;

  private State state = State.START;
  // The offsets below count from the reader index of the caller's buffer: nothing is consumed before the end.
  private int skipped;
  private int scanned;
  private int lineStart;
  private int headerLength;
  private int contentLength;
  private MessageHead head;
  private int failedStatus;
  private String failedMessage;

  /**
   * A decoder of what a client sends to a server: requests and interleaved frames.
   *
   * @param maxHeaderBytes the most bytes a request's header section may take, terminators included
   * @param maxBodyBytes the largest Content-Length accepted
   * @throws IllegalArgumentException when a limit is not positive
   */
  public RtspDecoder(int maxHeaderBytes, int maxBodyBytes) {
    this(maxHeaderBytes, maxBodyBytes, false);
  }

  private RtspDecoder(int maxHeaderBytes, int maxBodyBytes, boolean replies) {
    if (maxHeaderBytes <= 0 || maxBodyBytes <= 0) {
      throw new IllegalArgumentException("limits must be positive: maxHeaderBytes " + maxHeaderBytes
          + ", maxBodyBytes " + maxBodyBytes);
    }
    this.maxHeaderBytes = maxHeaderBytes;
    this.maxBodyBytes = maxBodyBytes;
    this.replies = replies;
  }

  /**
   * A decoder of what a server sends to a client: replies ({@link RtspReply}, status line {@code RTSP/1.0 SP
   * 3DIGIT SP Reason-Phrase}, §7.1, the reason phrase possibly empty and then the space before it possibly
   * missing) and interleaved frames, with the same limits and the same contract as a request decoder.
   *
   * @param maxHeaderBytes the most bytes a reply's header section may take, terminators included
   * @param maxBodyBytes the largest Content-Length accepted
   * @throws IllegalArgumentException when a limit is not positive
   */
  public static RtspDecoder forReplies(int maxHeaderBytes, int maxBodyBytes) {
    return new RtspDecoder(maxHeaderBytes, maxBodyBytes, true);
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
          head = MessageHead.parse(in.toString(start, headerLength, StandardCharsets.ISO_8859_1), replies,
              maxBodyBytes);
          contentLength = head.contentLength();
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
    RtspMessage message = head.withBody(body);
    reset();
    return message;
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
