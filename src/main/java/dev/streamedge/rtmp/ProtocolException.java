package dev.streamedge.rtmp;

/**
 * A peer broke the protocol or a configured limit. The connection that produced the input is closed
 * with the message as the one log line; nothing else is affected.
 */
public final class ProtocolException extends Exception {

  public ProtocolException(String message) {
    super(message, null, false, false);
  }
}
