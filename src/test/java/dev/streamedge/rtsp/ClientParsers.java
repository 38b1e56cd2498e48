package dev.streamedge.rtsp;

import java.util.List;
import java.util.Map;

/**
 * The invariants of the parsers a pulling client applies to what a server (or its operator) gives it, checked by
 * the fuzz test on arbitrary text: {@link SessionHeader#parse} and {@link RtspSourceUrl#parse} throw only
 * IllegalArgumentException and return values within their bounds that {@link RtspRequests#encode} can write;
 * {@link RtspAuthenticator#challenge} never throws, and when it says yes its answer can be written too.
 */
final class ClientParsers {

  private ClientParsers() {
  }

  static void session(String value) {
    if (value == null) {
      return;
    }
    SessionHeader session;
    try {
      session = SessionHeader.parse(value);
    } catch (IllegalArgumentException e) {
      refusedWithAReason(e);
      return;
    }
    if (session.id().isEmpty() || session.id().length() > SessionHeader.MAX_ID_LENGTH
        || session.timeoutSeconds() < 1 || session.timeoutSeconds() > 3600) {
      throw new AssertionError(value + " read as " + session);
    }
    writable("Session", session.id());
  }

  static void challenge(String value) {
    RtspAuthenticator auth = new RtspAuthenticator("user", "pass\"word");
    boolean usable = auth.challenge(value);
    String first = auth.authorization("DESCRIBE", "rtsp://cam/x");
    if (usable != (first != null)) {
      throw new AssertionError(value + ": challenge " + usable + " but authorization " + first);
    }
    if (usable) {
      writable("Authorization", first);
      writable("Authorization", auth.authorization("SETUP", "rtsp://cam/x/trackID=0"));
      if (!first.startsWith("Digest ") && !first.startsWith("Basic ")) {
        throw new AssertionError(value + " answered " + first);
      }
      // Answered: the same challenge again is Basic again or the same nonce, refused unless stale.
      auth.challenge(value);
    }
  }

  static void sourceUrl(String text) {
    RtspSourceUrl url;
    try {
      url = RtspSourceUrl.parse(text);
    } catch (IllegalArgumentException e) {
      refusedWithAReason(e);
      return;
    }
    String scheme = url.tls() ? "rtsps://" : "rtsp://";
    int path = url.uri().indexOf('/', scheme.length());
    if (url.port() < 1 || url.port() > 65_535 || url.host().isEmpty() || !url.uri().startsWith(scheme)
        || path < 0 || url.uri().substring(0, path).indexOf('@') >= 0) {
      throw new AssertionError(text + " read as " + url);
    }
    String label = url.label();
    int labelPath = label.indexOf('/', scheme.length());
    // An @ may be in a path (RFC 3986 §3.3), never in the label's authority: that would be a userinfo.
    if (label.indexOf('?') >= 0 || label.substring(0, labelPath < 0 ? label.length() : labelPath).indexOf('@') >= 0
        || !label.startsWith(scheme)) {
      throw new AssertionError(text + " labelled " + label);
    }
    if (url.password() != null && !url.toString().contains("password=***")) {
      throw new AssertionError(text + " printed as " + url);
    }
    RtspRequests.encode("OPTIONS", url.uri(), 1, List.of(), null).release();
  }

  /** Whether {@code value} can go into a request header: encode throws if it cannot. */
  private static void writable(String name, String value) {
    RtspRequests.encode("OPTIONS", "*", 1, List.of(Map.entry(name, value)), null).release();
  }

  private static void refusedWithAReason(IllegalArgumentException e) {
    if (e.getMessage() == null || e.getMessage().isEmpty()) {
      throw new AssertionError("refused without a reason", e);
    }
  }
}
