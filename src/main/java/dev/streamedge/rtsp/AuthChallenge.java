package dev.streamedge.rtsp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One challenge of a WWW-Authenticate header (RFC 7235 §4.1, the syntax RFC 2617 §1.2 gave first): an
 * auth-scheme, then either a token68 or a list of auth-params {@code name=value}, the value a token or a quoted
 * string. A header may hold several challenges separated by commas, and so may the value of two headers joined
 * by {@code ", "}, which is what {@link RtspReply#header} gives: {@code Basic realm="x", Digest realm="x",
 * nonce="abc"}. Since params are comma-separated too, a challenge ends where a token is not followed by '='.
 *
 * @param scheme the auth-scheme as sent, e.g. {@code Digest} (compare it ignoring case)
 * @param params the auth-params, names lower-cased, values unquoted and unescaped; the first of a name sent twice
 * @param token68 the token68 instead of params, or null
 */
record AuthChallenge(String scheme, Map<String, String> params, String token68) {

  AuthChallenge {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** The value of auth-param {@code name} (lower case), or null. */
  String param(String name) {
    return params.get(name);
  }

  /**
   * The challenges in {@code header}, in order. Lenient where cameras are sloppy (an unquoted value may hold
   * any character but comma and whitespace); where the syntax breaks, the challenge being read is dropped and
   * reading stops, so that only whole challenges come out. Never throws.
   */
  static List<AuthChallenge> parseAll(String header) {
    List<AuthChallenge> out = new ArrayList<>();
    if (header == null) {
      return out;
    }
    Reader in = new Reader(header);
    String scheme = null;
    Map<String, String> params = new LinkedHashMap<>();
    String token68 = null;
    while (true) {
      in.skipCommasAndWhitespace();
      if (in.atEnd()) {
        break;
      }
      String name = in.token();
      if (name.isEmpty()) {
        return out; // not a token where a scheme or param name must be: the current challenge is dropped
      }
      int afterName = in.pos;
      in.skipWhitespace();
      if (scheme != null && token68 == null && in.peek() == '=') {
        in.pos++;
        in.skipWhitespace();
        String value = in.value();
        if (value == null) {
          return out;
        }
        params.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
        in.skipWhitespace();
        if (!in.atEnd() && in.peek() != ',') {
          return out;
        }
        continue;
      }
      // A new challenge: the one before it is whole.
      if (scheme != null) {
        out.add(new AuthChallenge(scheme, params, token68));
      }
      scheme = name;
      params = new LinkedHashMap<>();
      token68 = null;
      if (in.atEnd() || in.peek() == ',') {
        continue;
      }
      if (in.pos == afterName) {
        return out; // the scheme runs into something other than a space, e.g. "Digest=..."
      }
      int start = in.pos;
      String candidate = in.token68();
      in.skipWhitespace();
      if (!candidate.isEmpty() && (in.atEnd() || in.peek() == ',')) {
        token68 = candidate;
      } else {
        in.pos = start; // params: read by the loop
      }
    }
    if (scheme != null) {
      out.add(new AuthChallenge(scheme, params, token68));
    }
    return out;
  }

  /** A cursor over the header's characters. */
  private static final class Reader {
    private final String text;
    private int pos;

    Reader(String text) {
      this.text = text;
    }

    boolean atEnd() {
      return pos >= text.length();
    }

    char peek() {
      return atEnd() ? 0 : text.charAt(pos);
    }

    void skipWhitespace() {
      while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
        pos++;
      }
    }

    void skipCommasAndWhitespace() {
      while (!atEnd() && (peek() == ' ' || peek() == '\t' || peek() == ',')) {
        pos++;
      }
    }

    /** A token (RFC 7230 §3.2.6), possibly empty. */
    String token() {
      int start = pos;
      while (!atEnd() && isTchar(peek())) {
        pos++;
      }
      return text.substring(start, pos);
    }

    /** A token68 (RFC 7235 §2.1): its characters, then any '='s; possibly empty. */
    String token68() {
      int start = pos;
      while (!atEnd() && (Character.isLetterOrDigit(peek()) && peek() < 0x80 || "-._~+/".indexOf(peek()) >= 0)) {
        pos++;
      }
      if (pos == start) {
        return "";
      }
      while (!atEnd() && peek() == '=') {
        pos++;
      }
      return text.substring(start, pos);
    }

    /** A quoted string unescaped, or an unquoted value up to a comma or whitespace; null when there is none. */
    String value() {
      if (peek() == '"') {
        StringBuilder out = new StringBuilder();
        pos++;
        while (!atEnd()) {
          char c = text.charAt(pos++);
          if (c == '"') {
            return out.toString();
          }
          if (c == '\\' && !atEnd()) {
            c = text.charAt(pos++);
          }
          out.append(c);
        }
        return null; // no closing quote
      }
      int start = pos;
      while (!atEnd() && peek() != ',' && peek() != ' ' && peek() != '\t' && peek() != '"') {
        pos++;
      }
      return pos == start ? null : text.substring(start, pos);
    }

    private static boolean isTchar(char c) {
      return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }
  }
}
