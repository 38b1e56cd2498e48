package dev.streamedge.rtsp;

import java.util.Locale;

/**
 * The Session header of a server's SETUP reply (RFC 2326 §12.37): {@code Session: 12345678;timeout=60}, the
 * session id that every later request of the session echoes, and the seconds of silence after which the
 * server may end the session, which tells a client how often to keep it alive. Pure: no I/O.
 *
 * @param id the session id, 1 to 256 printable US-ASCII characters without whitespace: it is echoed verbatim
 *     in a request header, so nothing in it may break that header
 * @param timeoutSeconds the timeout, 1 to 3600
 */
public record SessionHeader(String id, int timeoutSeconds) {

  /** The timeout when the server gives none (§12.37: "the default is 60 seconds"). */
  public static final int DEFAULT_TIMEOUT = 60;
  /** The shortest timeout taken: a client keeps alive at a fraction of it, and less than a second is no plan. */
  public static final int MIN_TIMEOUT = 1;
  /** The longest timeout taken: whatever a server says, a session is kept alive at least every so often. */
  public static final int MAX_TIMEOUT = 3600;
  /** Longer than any server's id (live555: 8 hex digits, GStreamer: 16 characters, cameras: up to 32). */
  public static final int MAX_ID_LENGTH = 256;

  /**
   * @throws IllegalArgumentException when the id is empty, longer than 256 characters, or holds whitespace, a
   *     control character or a non-ASCII one; or the timeout is not 1 to 3600
   */
  public SessionHeader {
    if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException("session id of " + (id == null ? "no" : id.length())
          + " characters, not 1 to " + MAX_ID_LENGTH);
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw new IllegalArgumentException("session id holds character 0x" + Integer.toHexString(c) + " at " + i
            + ": whitespace, control or non-ASCII");
      }
    }
    if (timeoutSeconds < MIN_TIMEOUT || timeoutSeconds > MAX_TIMEOUT) {
      throw new IllegalArgumentException("session timeout " + timeoutSeconds + " s is not " + MIN_TIMEOUT + " to "
          + MAX_TIMEOUT);
    }
  }

  /**
   * Reads a Session header's value: the id, then parameters after {@code ;}, of which {@code timeout} (any case)
   * is read and the others ignored. A timeout that is absent or no number of seconds is the default 60 (a server
   * that wrote it wrong still has a session); one out of range is clamped to 1 to 3600.
   *
   * @throws IllegalArgumentException when there is no value or the id is not what {@link SessionHeader} takes
   */
  public static SessionHeader parse(String value) {
    if (value == null) {
      throw new IllegalArgumentException("no Session header");
    }
    String[] parts = value.split(";", -1);
    String id = parts[0].strip();
    int timeout = DEFAULT_TIMEOUT;
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].strip();
      int equals = parameter.indexOf('=');
      if (equals > 0 && parameter.substring(0, equals).strip().toLowerCase(Locale.ROOT).equals("timeout")) {
        timeout = timeout(parameter.substring(equals + 1).strip());
      }
    }
    return new SessionHeader(id, timeout);
  }

  /** Whole seconds, clamped; anything else is the default. */
  private static int timeout(String text) {
    if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return DEFAULT_TIMEOUT;
    }
    if (text.length() > 9) {
      return MAX_TIMEOUT;
    }
    return Math.max(MIN_TIMEOUT, Math.min(MAX_TIMEOUT, Integer.parseInt(text)));
  }
}
