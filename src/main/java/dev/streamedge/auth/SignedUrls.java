package dev.streamedge.auth;

import dev.streamedge.stream.StreamKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed URLs: {@code ?sign=<expiry>-<hmac>}, where expiry is a Unix time in seconds and hmac is the
 * lower-case hex HMAC-SHA256, keyed with the secret, of {@code /<app>/<name>-<expiry>}, e.g.
 * {@code /live/test-1767225600}. The signature covers the stream, not the protocol, so one signed
 * play URL works for RTMP, HLS and FLV. Pure: the caller gives the time.
 */
public final class SignedUrls {

  private static final String ALGORITHM = "HmacSHA256";
  private static final Pattern SIGN = Pattern.compile("(\\d{1,12})-([0-9a-fA-F]{64})");

  private SignedUrls() {
  }

  /** The value of the {@code sign} argument that lets {@code key} through until {@code expiry}. */
  public static String sign(String secret, StreamKey key, long expiry) {
    return expiry + "-" + HexFormat.of().formatHex(hmac(secret, key, String.valueOf(expiry)));
  }

  /**
   * Checks a {@code sign} argument; null when there is none. The signature is checked before the
   * expiry, so a forged argument learns nothing about times.
   */
  static AuthDecision verify(String secret, StreamKey key, String sign, long nowSeconds) {
    if (sign == null) {
      return AuthDecision.refuse("no sign argument");
    }
    Matcher m = SIGN.matcher(sign);
    if (!m.matches()) {
      return AuthDecision.refuse("malformed sign argument");
    }
    byte[] expected = hmac(secret, key, m.group(1));
    byte[] given = HexFormat.of().parseHex(m.group(2));
    // Constant time: an attacker must not find the signature byte by byte from response times.
    if (!MessageDigest.isEqual(expected, given)) {
      return AuthDecision.refuse("bad signature");
    }
    if (Long.parseLong(m.group(1)) < nowSeconds) {
      return AuthDecision.refuse("signature expired");
    }
    return AuthDecision.ALLOW;
  }

  private static byte[] hmac(String secret, StreamKey key, String expiry) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
      return mac.doFinal(("/" + key.app() + "/" + key.name() + "-" + expiry).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      // Every Java runtime has HmacSHA256 (Mac's required algorithms), and any key length fits it.
      throw new IllegalStateException(e);
    }
  }
}
