package dev.streamedge.rtmp;

/**
 * A peer broke the protocol or a configured limit. The connection that produced the input is closed
 * with the message as the one log line; nothing else is affected.
 */
public final class ProtocolException extends Exception {

  /** What the peer did, where a server counts it apart from other broken input. */
  public enum Kind {
    INVALID,
    /** A message header announced a length above the limit. */
    MESSAGE_TOO_LONG
  }

  private final Kind kind;

  public ProtocolException(String message) {
    this(Kind.INVALID, message);
  }

  public ProtocolException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
