package dev.streamedge.rtsp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The answers to the challenges cameras send: RFC 2617 §3.5's Digest test vector, Digest without qop (RFC 2069),
 * Basic, the choice among several challenges in one header, a new nonce and a stale one, and what cannot or must
 * not be answered.
 */
@Tag("unit")
class RtspAuthenticatorTest {

  private static final String RFC_2617_CHALLENGE = "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
      + "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";

  /** An authenticator whose client nonces are the given ones, in order. */
  private static RtspAuthenticator withCnonces(String user, String password, String... cnonces) {
    Deque<String> queue = new ArrayDeque<>(List.of(cnonces));
    return new RtspAuthenticator(user, password, queue::remove);
  }

  @Test
  void theRfc2617TestVector() {
    RtspAuthenticator auth = withCnonces("Mufasa", "Circle Of Life", "0a4f113b", "0a4f113b");
    assertThat(auth.authorization("GET", "/dir/index.html")).as("before a challenge").isNull();
    assertThat(auth.challenge(RFC_2617_CHALLENGE)).isTrue();
    assertThat(auth.authorization("GET", "/dir/index.html")).isEqualTo("Digest username=\"Mufasa\", "
        + "realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", "
        + "response=\"6629fae49393a05397450978507c4ef1\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", "
        + "qop=auth, nc=00000001, cnonce=\"0a4f113b\"");
    // The next request counts 2; its response (cross-checked with Python's hashlib) changes with the count.
    assertThat(auth.authorization("GET", "/dir/index.html")).contains("nc=00000002")
        .contains("response=\"" + md5(md5("Mufasa:testrealm@host.com:Circle Of Life")
            + ":dcd98b7102dd2f0e8b11d0f600bfb0c093:00000002:0a4f113b:auth:" + md5("GET:/dir/index.html")) + "\"");
  }

  @Test
  void withoutQopTheResponseIsRfc2069s() {
    RtspAuthenticator auth = new RtspAuthenticator("Mufasa", "CircleOfLife");
    assertThat(auth.challenge("Digest realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
        + "algorithm=MD5")).isTrue();
    assertThat(auth.authorization("GET", "/dir/index.html")).isEqualTo("Digest username=\"Mufasa\", "
        + "realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", "
        + "response=\"1949323746fe6a43ef61f9606e7febea\", algorithm=MD5");
  }

  @Test
  void digestIsPreferredToBasicWhateverTheOrder() {
    String camera = "Basic realm=\"IP Camera(C1234)\", Digest realm=\"IP Camera(C1234)\", nonce=\"a,b\", "
        + "algorithm=MD5";
    RtspAuthenticator auth = new RtspAuthenticator("admin", "12345");
    assertThat(auth.challenge(camera)).isTrue();
    String answer = auth.authorization("DESCRIBE", "rtsp://192.168.1.64/Streaming/Channels/101");
    assertThat(answer).startsWith("Digest username=\"admin\", realm=\"IP Camera(C1234)\", nonce=\"a,b\", "
        + "uri=\"rtsp://192.168.1.64/Streaming/Channels/101\", response=\"" + md5(md5("admin:IP Camera(C1234):12345")
        + ":a,b:" + md5("DESCRIBE:rtsp://192.168.1.64/Streaming/Channels/101")) + "\"").doesNotContain("qop");
    RtspAuthenticator reversed = new RtspAuthenticator("admin", "12345");
    assertThat(reversed.challenge("Digest realm=\"r\", nonce=\"n\", Basic realm=\"r\"")).isTrue();
    assertThat(reversed.authorization("OPTIONS", "*")).startsWith("Digest ");
  }

  @Test
  void basicWhenItIsAllThatIsOfferedOrAnswerable() {
    String expected = "Basic " + Base64.getEncoder().encodeToString("admin:päss".getBytes(StandardCharsets.UTF_8));
    for (String header : List.of("Basic realm=\"cam\"", "basic", "Basic realm=\"cam\", Digest realm=\"cam\", "
        + "nonce=\"n\", algorithm=SHA-256", "Digest realm=\"cam\", nonce=\"n\", algorithm=MD5-sess, Basic realm=x",
        "Digest realm=\"cam\", nonce=\"n\", qop=\"auth-int\", Basic realm=\"cam\"", "Digest realm=\"cam\", Basic",
        "Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\", Basic realm=\"simple\"")) {
      RtspAuthenticator auth = new RtspAuthenticator("admin", "päss");
      assertThat(auth.challenge(header)).as(header).isTrue();
      assertThat(auth.authorization("DESCRIBE", "rtsp://cam/x")).as(header).isEqualTo(expected);
    }
  }

  @Test
  void aNewNonceOrAStaleOneIsAnsweredAndTheSameOneIsNot() {
    RtspAuthenticator auth = withCnonces("u", "p", "c1", "c2", "c3", "c4");
    assertThat(auth.challenge("Digest realm=\"r\", nonce=\"n1\", qop=\"auth\"")).isTrue();
    assertThat(auth.authorization("DESCRIBE", "rtsp://cam/x")).contains("nonce=\"n1\"", "nc=00000001");
    assertThat(auth.authorization("SETUP", "rtsp://cam/x/trackID=1")).contains("nc=00000002");
    assertThat(auth.challenge("Digest realm=\"r\", nonce=\"n2\", qop=\"auth\", stale=TRUE")).isTrue();
    assertThat(auth.authorization("SETUP", "rtsp://cam/x/trackID=1")).contains("nonce=\"n2\"", "nc=00000001");
    assertThat(auth.challenge("Digest realm=\"r\", nonce=\"n3\", qop=\"auth\"")).as("a new nonce").isTrue();
    assertThat(auth.authorization("PLAY", "rtsp://cam/x")).contains("nonce=\"n3\"", "nc=00000001");
    // The nonce just answered, not stale: the server refused the credentials.
    assertThat(auth.challenge("Digest realm=\"r\", nonce=\"n3\", qop=\"auth\"")).isFalse();
    assertThat(auth.authorization("PLAY", "rtsp://cam/x")).isNull();

    RtspAuthenticator basic = new RtspAuthenticator("u", "p");
    assertThat(basic.challenge("Basic realm=\"r\"")).isTrue();
    assertThat(basic.challenge("Basic realm=\"r\"")).as("not answered yet").isTrue();
    assertThat(basic.authorization("OPTIONS", "*")).startsWith("Basic ");
    assertThat(basic.challenge("Basic realm=\"r\"")).as("answered and refused").isFalse();
    assertThat(basic.authorization("OPTIONS", "*")).isNull();
  }

  @Test
  void whatCannotBeAnsweredIsFalse() {
    for (String header : new String[] {null, "", "   ", ",,", "Bearer realm=\"x\"", "Negotiate",
        "Digest realm=\"x\", nonce=\"n\", algorithm=SHA-256", "Digest realm=\"x\", nonce=\"n\", algorithm=MD5-sess",
        "Digest realm=\"x\", nonce=\"n\", qop=\"auth-int\"", "Digest nonce=\"n\"", "Digest realm=\"x\"",
        "Digest realm=\"x\", nonce=\"unterminated", "Digest realm=\"x\" nonce=\"n\"", "=Digest", "Digest=x",
        "Digest realm=\"x\", nonce=\"n\r\nX: y\"", "Digest realm=\"caf\u00e9\", nonce=\"n\""}) {
      RtspAuthenticator auth = new RtspAuthenticator("u", "p");
      assertThat(auth.challenge(header)).as(String.valueOf(header)).isFalse();
      assertThat(auth.authorization("OPTIONS", "*")).isNull();
    }
    assertThat(new RtspAuthenticator(null, null).challenge("Basic realm=\"x\"")).as("no credentials").isFalse();
    assertThat(new RtspAuthenticator(null, null).challenge("Digest realm=\"x\", nonce=\"n\"")).isFalse();
    assertThat(new RtspAuthenticator("a:b", "p").challenge("Basic realm=\"x\"")).as("RFC 7617 §2").isFalse();
    assertThat(new RtspAuthenticator("j\u00fcrgen", "p").challenge("Digest realm=\"x\", nonce=\"n\"")).isFalse();
  }

  @Test
  void quotedValuesAreUnescapedAndEscapedAgain() {
    RtspAuthenticator auth = new RtspAuthenticator("a\"b", "p");
    assertThat(auth.challenge("Digest realm=\"say \\\"hi\\\", ok\", nonce=\"n\", opaque=\"o\\\\p\"")).isTrue();
    String answer = auth.authorization("OPTIONS", "*");
    assertThat(answer).startsWith("Digest username=\"a\\\"b\", realm=\"say \\\"hi\\\", ok\", nonce=\"n\", uri=\"*\"")
        .contains("response=\"" + md5(md5("a\"b:say \"hi\", ok:p") + ":n:" + md5("OPTIONS:*")) + "\"")
        .endsWith(", opaque=\"o\\\\p\"");
  }

  @Test
  void theChallengeListIsParsedPerRfc7235() {
    assertThat(AuthChallenge.parseAll("Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\", "
        + "Basic realm=\"simple\"")).containsExactly(
        new AuthChallenge("Newauth", Map.of("realm", "apps", "type", "1", "title", "Login to \"apps\""), null),
        new AuthChallenge("Basic", Map.of("realm", "simple"), null));
    assertThat(AuthChallenge.parseAll("Basic, Token abc+/==, Digest Realm = \"x\" ,NONCE=y")).containsExactly(
        new AuthChallenge("Basic", Map.of(), null), new AuthChallenge("Token", Map.of(), "abc+/=="),
        new AuthChallenge("Digest", Map.of("realm", "x", "nonce", "y"), null));
    assertThat(AuthChallenge.parseAll("Basic realm=\"a\", Digest realm=\"b\" junk")).as("broken: the whole ones")
        .containsExactly(new AuthChallenge("Basic", Map.of("realm", "a"), null));
  }

  private static String md5(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
