package dev.streamedge.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes an RTSP 1.0 response (RFC 2326 §7): status line, CSeq (§12.17), the caller's headers in order,
 * Content-Length (§12.14) when there is a body, the empty line, the body. Pure: bytes out, no I/O.
 */
public final class RtspResponse {

  private RtspResponse() {
  }

  /**
   * The response's bytes.
   *
   * @param status the status code, 100 to 999
   * @param cseq the request's CSeq, echoed; none is written when negative (the request had no usable one)
   * @param headers the other headers, in order; neither CSeq nor Content-Length, which this writes itself
   * @param body the body, or null or empty for none
   * @throws IllegalArgumentException when a header name is no token or a value holds CR or LF, or the status
   *     has not three digits: the server built a response it must not send, a programming error
   */
  public static ByteBuf encode(int status, int cseq, List<Map.Entry<String, String>> headers, byte[] body) {
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("status " + status + " is not three digits");
    }
    StringBuilder head = new StringBuilder(128);
    head.append("RTSP/1.0 ").append(status).append(' ').append(reason(status)).append("\r\n");
    if (cseq >= 0) {
      head.append("CSeq: ").append(cseq).append("\r\n");
    }
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey();
      String value = header.getValue();
      if (name == null || !RtspDecoder.isToken(name)) {
        throw new IllegalArgumentException("header name " + name + " is not a token");
      }
      if (name.equalsIgnoreCase("CSeq") || name.equalsIgnoreCase("Content-Length")) {
        // Written from the arguments; a second one would contradict it.
        throw new IllegalArgumentException(name + " is written by encode, not passed as a header");
      }
      if (value == null || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
        // A CR or LF would let whatever fed the value add headers or end the response (response splitting).
        throw new IllegalArgumentException("header " + name + " value holds CR or LF, or is null");
      }
      head.append(name).append(": ").append(value).append("\r\n");
    }
    int bodyLength = body == null ? 0 : body.length;
    if (bodyLength > 0) {
      head.append("Content-Length: ").append(bodyLength).append("\r\n");
    }
    head.append("\r\n");
    // UTF-8, not Latin-1: a value such as a session name may be UTF-8 text (RFC 2326 §4), never more.
    byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
    ByteBuf out = Unpooled.buffer(headBytes.length + bodyLength);
    out.writeBytes(headBytes);
    if (bodyLength > 0) {
      out.writeBytes(body);
    }
    return out;
  }

  /** The reason phrase of {@code status} (RFC 2326 §7.1.1), or "Unknown". */
  public static String reason(int status) {
    return switch (status) {
      case 100 -> "Continue";
      case 200 -> "OK";
      case 201 -> "Created";
      case 250 -> "Low on Storage Space";
      case 300 -> "Multiple Choices";
      case 301 -> "Moved Permanently";
      case 302 -> "Moved Temporarily";
      case 303 -> "See Other";
      case 304 -> "Not Modified";
      case 305 -> "Use Proxy";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 402 -> "Payment Required";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 406 -> "Not Acceptable";
      case 407 -> "Proxy Authentication Required";
      case 408 -> "Request Time-out";
      case 410 -> "Gone";
      case 411 -> "Length Required";
      case 412 -> "Precondition Failed";
      case 413 -> "Request Entity Too Large";
      case 414 -> "Request-URI Too Large";
      case 415 -> "Unsupported Media Type";
      case 451 -> "Parameter Not Understood";
      case 452 -> "Conference Not Found";
      case 453 -> "Not Enough Bandwidth";
      case 454 -> "Session Not Found";
      case 455 -> "Method Not Valid in This State";
      case 456 -> "Header Field Not Valid for Resource";
      case 457 -> "Invalid Range";
      case 458 -> "Parameter Is Read-Only";
      case 459 -> "Aggregate Operation Not Allowed";
      case 460 -> "Only Aggregate Operation Allowed";
      case 461 -> "Unsupported Transport";
      case 462 -> "Destination Unreachable";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Time-out";
      case 505 -> "RTSP Version not supported";
      case 551 -> "Option not supported";
      default -> "Unknown";
    };
  }
}
