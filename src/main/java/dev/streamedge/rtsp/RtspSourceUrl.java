package dev.streamedge.rtsp;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * The URL of a stream to pull from an RTSP camera or server (RFC 2326 §3.2): {@code rtsp://} (port 554) or
 * {@code rtsps://} (RTSP over TLS, port 322), credentials in the userinfo as cameras take them
 * ({@code rtsp://admin:secret@192.168.1.64/Streaming/Channels/101}), then host, port, path and query. Pure: no
 * I/O, no name lookup.
 *
 * <p>The credentials never go into a request line (RFC 3986 §3.2.1 deprecates them in URLs; a server answers
 * them with a 401 and {@link RtspAuthenticator} sends them), so {@link #uri} leaves them out. Neither {@link
 * #label} nor {@link #toString} shows the password, and the label shows neither the query nor the last path
 * segment, which for many sources is the secret stream key.
 *
 * @param tls whether the scheme is {@code rtsps}
 * @param host the host name or IP address; an IPv6 address without its brackets
 * @param port the port, the scheme's default when the URL gives none
 * @param user the user name of the userinfo, percent-decoded (UTF-8), or null when there is no userinfo
 * @param password the password of the userinfo, percent-decoded (UTF-8), or null when there is none
 * @param uri the URL as it goes into a request line: {@code scheme://host[:port]/path[?query]}, the scheme
 *     lower-cased, the port as written (absent when the URL had none), without the userinfo
 */
public record RtspSourceUrl(boolean tls, String host, int port, String user, String password, String uri) {

  /** The port of {@code rtsp://} (RFC 2326 §3.2). */
  public static final int RTSP_PORT = 554;
  /** The port of {@code rtsps://} (IANA's registration of rtsps over TLS). */
  public static final int RTSPS_PORT = 322;
  /** Longer than any camera URL; a bound on what a typo in a configuration file can make the client hold. */
  static final int MAX_LENGTH = 4096;

  public RtspSourceUrl {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(uri, "uri");
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port " + port + " is not 1 to 65535");
    }
  }

  /**
   * Reads {@code url}.
   *
   * @throws IllegalArgumentException with what is wrong: another scheme, no host, a port that is not 1 to
   *     65535, no path (at least {@code /x}), a malformed percent-encoding in the userinfo, a control
   *     character anywhere (or in the decoded user or password), a space or non-ASCII character (they must be
   *     percent-encoded), a fragment ({@code #}: a {@code #} in a password must be written {@code %23})
   */
  public static RtspSourceUrl parse(String url) {
    if (url == null || url.isEmpty()) {
      throw new IllegalArgumentException("no RTSP URL");
    }
    if (url.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("RTSP URL of " + url.length() + " characters, over " + MAX_LENGTH);
    }
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw new IllegalArgumentException("RTSP URL holds " + (c == ' ' ? "a space" : "character 0x"
            + Integer.toHexString(c)) + " at " + i + ": percent-encode it");
      }
    }
    int colon = url.indexOf("://");
    String scheme = colon < 0 ? "" : url.substring(0, colon).toLowerCase(Locale.ROOT);
    if (!scheme.equals("rtsp") && !scheme.equals("rtsps")) {
      throw new IllegalArgumentException("RTSP URL must start with rtsp:// or rtsps://");
    }
    boolean tls = scheme.equals("rtsps");
    if (url.indexOf('#') >= 0) {
      throw new IllegalArgumentException("RTSP URL has a fragment (#); a # in a password must be written %23");
    }
    // No part of the authority goes into an exception message: with a password that holds an unencoded / or ?,
    // what looks like the host or port is the password.
    int authorityStart = colon + 3;
    int authorityEnd = authorityStart;
    while (authorityEnd < url.length() && url.charAt(authorityEnd) != '/' && url.charAt(authorityEnd) != '?') {
      authorityEnd++;
    }
    String authority = url.substring(authorityStart, authorityEnd);
    // The last @: a camera password with an unencoded @ is common, and a host never holds one.
    int at = authority.lastIndexOf('@');
    String user = null;
    String password = null;
    if (at >= 0) {
      String userinfo = authority.substring(0, at);
      int split = userinfo.indexOf(':');
      user = decode(split < 0 ? userinfo : userinfo.substring(0, split), "user");
      password = split < 0 ? null : decode(userinfo.substring(split + 1), "password");
    }
    String hostPort = authority.substring(at + 1);
    String host;
    String portText;
    String hostInUri;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("RTSP URL has an IPv6 address without its ]");
      }
      host = hostPort.substring(1, close);
      if (!isIpv6(host)) {
        throw new IllegalArgumentException("RTSP URL host in [ ] is not an IPv6 address");
      }
      hostInUri = hostPort.substring(0, close + 1);
      String rest = hostPort.substring(close + 1);
      if (!rest.isEmpty() && !rest.startsWith(":")) {
        throw new IllegalArgumentException("RTSP URL has something other than :port after its IPv6 address");
      }
      portText = rest.isEmpty() ? null : rest.substring(1);
    } else {
      int portColon = hostPort.indexOf(':');
      host = portColon < 0 ? hostPort : hostPort.substring(0, portColon);
      hostInUri = host;
      portText = portColon < 0 ? null : hostPort.substring(portColon + 1);
      if (host.isEmpty()) {
        throw new IllegalArgumentException("RTSP URL has no host");
      }
      if (!isRegName(host)) {
        throw new IllegalArgumentException("RTSP URL host is neither a name nor an address (a / or ? in a password"
            + " must be percent-encoded)");
      }
    }
    int port = tls ? RTSPS_PORT : RTSP_PORT;
    if (portText != null) {
      port = port(portText);
    }
    String pathAndQuery = url.substring(authorityEnd);
    if (!pathAndQuery.startsWith("/") || pathAndQuery.length() < 2 || pathAndQuery.charAt(1) == '?') {
      throw new IllegalArgumentException("RTSP URL has no path: it names a stream, as in rtsp://host/stream");
    }
    String uri = scheme + "://" + hostInUri + (portText == null ? "" : ":" + portText) + pathAndQuery;
    return new RtspSourceUrl(tls, host, port, user, password, uri);
  }

  /**
   * What the URL shows in a log line or the API: {@code scheme://host:port} and the path up to its last
   * segment, which is left out with the query (a stream key or token) and the credentials, e.g. {@code
   * rtsp://192.168.1.64:554/Streaming/Channels} for {@code rtsp://admin:x@192.168.1.64/Streaming/Channels/101}.
   */
  public String label() {
    int authorityEnd = uri.indexOf('/', uri.indexOf("://") + 3);
    if (authorityEnd < 0) {
      // A record built by hand: show no path at all rather than guess.
      authorityEnd = uri.length();
    }
    int query = uri.indexOf('?', authorityEnd);
    String path = uri.substring(authorityEnd, query < 0 ? uri.length() : query);
    String shownHost = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return (tls ? "rtsps" : "rtsp") + "://" + shownHost + ":" + port + path.substring(0, Math.max(0,
        path.lastIndexOf('/')));
  }

  /** The URL without its password ({@code ***} in its place): records print themselves into logs. */
  @Override
  public String toString() {
    return "RtspSourceUrl[tls=" + tls + ", host=" + host + ", port=" + port + ", user=" + user + ", password="
        + (password == null ? "null" : "***") + ", uri=" + uri + "]";
  }

  private static int port(String text) {
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("RTSP URL port is not a number from 1 to 65535 (a / or ? in a password"
          + " must be percent-encoded)");
    }
    int port = Integer.parseInt(text);
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("RTSP URL port " + port + " is not 1 to 65535");
    }
    return port;
  }

  /** A reg-name or IPv4 address (RFC 3986 §3.2.2) as cameras have them: letters, digits, '-', '.', '_', '~'. */
  private static boolean isRegName(String host) {
    return host.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
        || c == '-' || c == '.' || c == '_' || c == '~');
  }

  /** Hex digits, colons and dots (an embedded IPv4 address), at least two colons; no zone id. */
  private static boolean isIpv6(String host) {
    return host.chars().filter(c -> c == ':').count() >= 2 && host.chars().allMatch(c -> c >= '0' && c <= '9'
        || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.');
  }

  /** Percent-decodes {@code text} as UTF-8 (RFC 3986 §2.1); '+' stays '+' (that is forms, not URLs). */
  private static String decode(String text, String what) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        int hi = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
        int lo = hi < 0 ? -1 : Character.digit(text.charAt(i + 2), 16);
        if (lo < 0) {
          throw new IllegalArgumentException("RTSP URL " + what + " has a % that is not %XX (write % as %25)");
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    String decoded;
    try {
      decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("RTSP URL " + what + " is not UTF-8 once percent-decoded");
    }
    for (int i = 0; i < decoded.length(); i++) {
      char c = decoded.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        // It goes into an Authorization header: a CR or LF there would add headers of its own.
        throw new IllegalArgumentException("RTSP URL " + what + " holds a control character once percent-decoded");
      }
    }
    return decoded;
  }
}
