package dev.streamedge.media;

/**
 * Media bytes that do not parse: a malformed codec configuration record, FLV audio or video header,
 * or an access unit the packagers cannot cut. Whoever received the bytes decides what closes; the
 * protocols treat it like their own protocol errors.
 */
public final class MediaFormatException extends Exception {

  public MediaFormatException(String message) {
    super(message, null, false, false);
  }
}
