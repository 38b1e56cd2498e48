package dev.streamedge.rtsp;

/**
 * What a client sent is no RTSP 1.0 message this codec accepts: the only failure of decoding and parsing.
 * The server answers with {@link #status()} (400 Bad Request, or 505 RTSP Version not supported, RFC 2326
 * §7.1.1) and closes the connection, since after a malformed message it cannot know where the next one
 * starts. A client that reads a server's replies ({@link RtspDecoder#forReplies}) gets the same exception for
 * a malformed reply, and closes the connection without answering.
 */
public final class RtspFormatException extends Exception {

  private final int status;

  /** A malformed message: the answer is 400 Bad Request. */
  public RtspFormatException(String message) {
    this(400, message);
  }

  /**
   * @param status the RTSP status code of the answer, e.g. 505 for a version other than RTSP/1.0
   * @param message what was wrong, for the log line of the refusal
   */
  public RtspFormatException(int status, String message) {
    // No stack trace: a client can make one per connection, and the message says all there is to know.
    super(message, null, false, false);
    this.status = status;
  }

  /** The RTSP status code to answer with. */
  public int status() {
    return status;
  }
}
