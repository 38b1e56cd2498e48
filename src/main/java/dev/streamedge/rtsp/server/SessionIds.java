package dev.streamedge.rtsp.server;

import dev.streamedge.rtsp.RtspRequest;
import java.security.SecureRandom;
import java.util.HexFormat;

/** RTSP sessions' identifiers (RFC 2326 §12.37) and the URLs their tracks are set up at. */
final class SessionIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private SessionIds() {
  }

  /** A new session identifier: 16 hex digits, not guessable, so that no client can name another's session. */
  static String next() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().withUpperCase().formatHex(bytes);
  }

  /** Whether {@code request} names {@code session}, or none: a client may leave it out before its first SETUP. */
  static boolean names(RtspRequest request, String session) {
    String named = request.header("Session");
    return named == null || named.split(";", 2)[0].trim().equals(session);
  }

  /** A DESCRIBE's URL without its query, ending with '/': what track URLs are relative to (§C.1.1). */
  static String contentBase(String uri) {
    int query = uri.indexOf('?');
    String base = query < 0 ? uri : uri.substring(0, query);
    return base.endsWith("/") ? base : base + "/";
  }
}
