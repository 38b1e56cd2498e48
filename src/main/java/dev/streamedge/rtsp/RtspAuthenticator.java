package dev.streamedge.rtsp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The Authorization header of a client that pulls a stream from a camera or server that asks for credentials
 * (RFC 2326 §12.5 borrows HTTP's authentication): a 401's WWW-Authenticate challenges in, the header value for
 * the requests after it out. Digest (RFC 2617, RFC 7616) with MD5 is preferred, since it never sends the
 * password; Basic (RFC 7617) is the fall-back when it is offered. MD5-sess, SHA-256 and qop=auth-int are not
 * answered. Pure: no I/O.
 *
 * <p>Not thread-safe: one per connection, used where its replies are read. The password is held, never
 * printed.
 */
public final class RtspAuthenticator {

  private static final SecureRandom RANDOM = new SecureRandom();

  private enum Scheme {
    NONE, BASIC, DIGEST
  }

  private final String user;
  private final String password;
  private final Supplier<String> cnonces;

  private Scheme scheme = Scheme.NONE;
  private String realm;
  private String nonce;
  private String opaque;
  private boolean algorithmGiven;
  private boolean qopAuth;
  private int nonceCount;
  /** Whether a header was given out for the challenge taken: the same challenge again means refused. */
  private boolean answered;

  /**
   * @param user the user name, or null when there are none: then no challenge can be answered
   * @param password the password, or null for an empty one
   */
  public RtspAuthenticator(String user, String password) {
    this(user, password, RtspAuthenticator::randomCnonce);
  }

  /** With the client nonces given, for the RFC's test vector. */
  RtspAuthenticator(String user, String password, Supplier<String> cnonces) {
    this.user = user;
    this.password = password == null ? "" : password;
    this.cnonces = cnonces;
  }

  /**
   * Takes the challenges of a 401 reply.
   *
   * @param wwwAuthenticate the value of the reply's WWW-Authenticate header(s), several challenges joined by
   *     {@code ", "} as {@link RtspReply#header} gives them; may be null
   * @return whether {@link #authorization} now has an answer: false when no challenge is Digest with MD5 (and
   *     qop absent or offering {@code auth}) nor Basic, when there are no credentials or they cannot be written
   *     in the header, or when the challenge is the one already answered (the same nonce, not stale; or Basic
   *     again): the server refused the credentials, and asking again would loop. Never throws.
   */
  public boolean challenge(String wwwAuthenticate) {
    List<AuthChallenge> challenges = AuthChallenge.parseAll(wwwAuthenticate);
    AuthChallenge digest = null;
    boolean basic = false;
    for (AuthChallenge c : challenges) {
      if (digest == null && c.scheme().equalsIgnoreCase("Digest") && digestAnswerable(c)) {
        digest = c;
      } else if (c.scheme().equalsIgnoreCase("Basic")) {
        basic = true;
      }
    }
    if (digest != null) {
      String newNonce = digest.param("nonce");
      boolean stale = "true".equalsIgnoreCase(digest.param("stale"));
      if (answered && scheme == Scheme.DIGEST && newNonce.equals(nonce) && !stale) {
        return refused();
      }
      if (!newNonce.equals(nonce)) {
        nonceCount = 0; // counts the requests per nonce (RFC 2617 §3.2.2)
      }
      scheme = Scheme.DIGEST;
      realm = digest.param("realm");
      nonce = newNonce;
      opaque = digest.param("opaque");
      algorithmGiven = digest.param("algorithm") != null;
      qopAuth = digest.param("qop") != null;
      answered = false;
      return true;
    }
    if (basic && user != null && user.indexOf(':') < 0 && noControl(user) && noControl(password)) {
      if (answered && scheme == Scheme.BASIC) {
        return refused();
      }
      scheme = Scheme.BASIC;
      realm = null;
      nonce = null;
      answered = false;
      return true;
    }
    return refused();
  }

  /**
   * The Authorization header's value for the next request, or null before a challenge was taken (or after one
   * was refused). With Digest and qop each call counts one request.
   *
   * @param method the request's method, e.g. {@code DESCRIBE}
   * @param uri the request's Request-URI, as in its request line
   */
  public String authorization(String method, String uri) {
    if (scheme == Scheme.NONE) {
      return null;
    }
    answered = true;
    if (scheme == Scheme.BASIC) {
      return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
    String ha1 = md5(user + ":" + realm + ":" + password);
    String ha2 = md5(method + ":" + uri);
    StringBuilder out = new StringBuilder(256).append("Digest username=\"").append(quoted(user))
        .append("\", realm=\"").append(quoted(realm)).append("\", nonce=\"").append(quoted(nonce))
        .append("\", uri=\"").append(quoted(uri)).append("\", response=\"");
    String cnonce = null;
    String nc = null;
    if (qopAuth) {
      nonceCount++;
      nc = String.format(Locale.ROOT, "%08x", nonceCount);
      cnonce = cnonces.get();
      out.append(md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2));
    } else {
      out.append(md5(ha1 + ":" + nonce + ":" + ha2)); // RFC 2069's, which RFC 2617 §3.2.2.1 keeps
    }
    out.append('"');
    if (opaque != null) {
      out.append(", opaque=\"").append(quoted(opaque)).append('"');
    }
    if (algorithmGiven) {
      out.append(", algorithm=MD5");
    }
    if (qopAuth) {
      out.append(", qop=auth, nc=").append(nc).append(", cnonce=\"").append(quoted(cnonce)).append('"');
    }
    return out.toString();
  }

  /**
   * Whether a Digest challenge can be answered: MD5 (the default when no algorithm is named), a realm and a nonce,
   * qop absent or offering {@code auth}, and every value this echoes (the user name included) printable
   * US-ASCII, so that the header it goes into stays one line.
   */
  private boolean digestAnswerable(AuthChallenge c) {
    String algorithm = c.param("algorithm");
    String qop = c.param("qop");
    if (user == null || c.param("realm") == null || c.param("nonce") == null
        || algorithm != null && !algorithm.equalsIgnoreCase("MD5")) {
      return false;
    }
    if (qop != null) {
      boolean auth = false;
      for (String option : qop.split(",")) {
        auth |= option.strip().equalsIgnoreCase("auth");
      }
      if (!auth) {
        return false; // auth-int alone: it would need the body's hash, which this does not compute
      }
    }
    return printableAscii(user) && printableAscii(c.param("realm")) && printableAscii(c.param("nonce"))
        && (c.param("opaque") == null || printableAscii(c.param("opaque")));
  }

  private boolean refused() {
    scheme = Scheme.NONE;
    realm = null;
    nonce = null;
    opaque = null;
    answered = false;
    return false;
  }

  /** A quoted-string's content (RFC 7230 §3.2.6): '"' and '\' escaped. */
  private static String quoted(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static boolean printableAscii(String text) {
    return text.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
  }

  private static boolean noControl(String text) {
    return text.chars().allMatch(c -> c >= 0x20 && c != 0x7f);
  }

  private static String md5(String text) {
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      return HexFormat.of().formatHex(md5.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has MD5", e);
    }
  }

  /** 16 hex digits from a SecureRandom: the client nonce of RFC 2617 §3.2.2. */
  private static String randomCnonce() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
