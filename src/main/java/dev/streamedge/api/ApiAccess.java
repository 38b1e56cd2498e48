package dev.streamedge.api;

import io.netty.util.NetUtil;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Who may use the API and the dashboard. With a token configured, every request must carry it as
 * {@code Authorization: Bearer <token>} (RFC 6750), or, for a browser, as the password of
 * {@code Authorization: Basic} (RFC 7617, which a browser asks its user for once and then sends with every
 * request of the page, its live feed included), whatever its address; without one, only clients on
 * loopback are answered.
 */
final class ApiAccess {

  /** The outcome of a check: the HTTP status to refuse with, 0 to let the request in. */
  enum Decision {
    ALLOW(0),
    /** No token configured and the client is not on loopback. */
    NOT_LOOPBACK(403),
    /** A token is configured and the request did not carry it. */
    NO_TOKEN(401),
    WRONG_TOKEN(401);

    private final int status;

    Decision(int status) {
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  private static final String BEARER = "bearer ";
  private static final String BASIC = "basic ";

  /** The token's SHA-256, or null when none is configured. */
  private final byte[] tokenHash;

  ApiAccess(String token) {
    this.tokenHash = token.isEmpty() ? null : sha256(token);
  }

  /** Decides on a request from {@code remote} with the given {@code Authorization} header (or null). */
  Decision check(SocketAddress remote, String authorization) {
    if (tokenHash == null) {
      return isLoopback(remote) ? Decision.ALLOW : Decision.NOT_LOOPBACK;
    }
    String token = tokenOf(authorization);
    if (token == null) {
      return Decision.NO_TOKEN;
    }
    // Hashes of equal length, compared in constant time: the time taken tells neither how much of the
    // token matched nor how long it is.
    byte[] given = sha256(token);
    return MessageDigest.isEqual(tokenHash, given) ? Decision.ALLOW : Decision.WRONG_TOKEN;
  }

  /** The token a header carries: Bearer's credentials, or Basic's password (any user name); else null. */
  private static String tokenOf(String authorization) {
    if (authorization == null) {
      return null;
    }
    if (authorization.length() >= BEARER.length() && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return authorization.substring(BEARER.length()).strip();
    }
    if (authorization.length() > BASIC.length() && authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
      try {
        String pair = new String(Base64.getDecoder().decode(authorization.substring(BASIC.length()).strip()),
            StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        return colon < 0 ? null : pair.substring(colon + 1);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return null;
  }

  /** The body of a refusal: why, never the token. */
  static JsonObject refusal(Decision decision) {
    return new JsonObject().put("error", switch (decision) {
      case NOT_LOOPBACK -> "the API answers only clients on loopback while api.token is not set";
      case NO_TOKEN -> "an Authorization: Bearer header with the API token is required";
      case WRONG_TOKEN -> "wrong API token";
      case ALLOW -> throw new IllegalArgumentException("not a refusal");
    });
  }

  /** Whether the peer is on this host's loopback (IPv4 127/8, IPv6 ::1, or IPv4-mapped 127/8). No DNS. */
  static boolean isLoopback(SocketAddress remote) {
    if (remote == null || remote.hostAddress() == null) {
      return false;
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(remote.hostAddress());
    if (bytes == null) {
      return false;
    }
    try {
      return InetAddress.getByAddress(bytes).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
