package dev.streamedge.srt;

/** A datagram is not an SRT packet this codec can read: the only failure of decoding. */
public final class SrtFormatException extends Exception {

  public SrtFormatException(String message) {
    super(message, null, false, false);
  }
}
