package dev.streamedge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.stream.StreamKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The signed-URL formula, byte for byte, and every way a signature can be wrong. */
@Tag("e2e")
class SignedUrlsTest {

  private static final String SECRET = "0123456789abcdef-play";
  private static final StreamKey KEY = new StreamKey("live", "test");
  private static final long EXPIRY = 1767225600;
  /**
   * {@code printf '%s' /live/test-1767225600 | openssl dgst -sha256 -hmac 0123456789abcdef-play -r},
   * computed outside Java.
   */
  private static final String OPENSSL_HMAC = "c09c51f4b9c09a728aa5dd359faffa03ba8c09be6d4a1839b7666e4d56712bef";

  @Test
  void theSignatureIsTheHexHmacSha256OfAppNameAndExpiry() {
    assertThat(SignedUrls.sign(SECRET, KEY, EXPIRY)).isEqualTo(EXPIRY + "-" + OPENSSL_HMAC);
  }

  @Test
  void aSignatureIsGoodUntilItsExpirySecond() {
    String sign = EXPIRY + "-" + OPENSSL_HMAC;
    assertThat(SignedUrls.verify(SECRET, KEY, sign, EXPIRY - 3600)).isEqualTo(AuthDecision.ALLOW);
    assertThat(SignedUrls.verify(SECRET, KEY, sign, EXPIRY)).isEqualTo(AuthDecision.ALLOW);
    assertThat(SignedUrls.verify(SECRET, KEY, sign, EXPIRY + 1)).isEqualTo(AuthDecision.refuse("signature expired"));
    assertThat(SignedUrls.verify(SECRET, KEY, sign.toUpperCase(), EXPIRY)).as("hex in capitals")
        .isEqualTo(AuthDecision.ALLOW);
  }

  @Test
  void aTamperedOrMisplacedSignatureIsRefused() {
    AuthDecision bad = AuthDecision.refuse("bad signature");
    String flipped = OPENSSL_HMAC.substring(0, 63) + (OPENSSL_HMAC.endsWith("f") ? "e" : "f");
    assertThat(SignedUrls.verify(SECRET, KEY, EXPIRY + "-" + flipped, EXPIRY)).isEqualTo(bad);
    assertThat(SignedUrls.verify(SECRET, KEY, (EXPIRY + 86400) + "-" + OPENSSL_HMAC, EXPIRY)).as("expiry pushed back")
        .isEqualTo(bad);
    assertThat(SignedUrls.verify(SECRET, new StreamKey("live", "other"), EXPIRY + "-" + OPENSSL_HMAC, EXPIRY))
        .as("another stream").isEqualTo(bad);
    assertThat(SignedUrls.verify(SECRET, new StreamKey("vip", "test"), EXPIRY + "-" + OPENSSL_HMAC, EXPIRY))
        .as("another app").isEqualTo(bad);
    assertThat(SignedUrls.verify(SECRET + "x", KEY, EXPIRY + "-" + OPENSSL_HMAC, EXPIRY)).as("another secret")
        .isEqualTo(bad);
    assertThat(SignedUrls.verify(SECRET, KEY, (EXPIRY - 86400) + "-" + flipped, EXPIRY))
        .as("a forged signature learns nothing of its expiry").isEqualTo(bad);
  }

  @Test
  void aMissingOrMalformedSignArgumentIsRefused() {
    assertThat(SignedUrls.verify(SECRET, KEY, null, EXPIRY)).isEqualTo(AuthDecision.refuse("no sign argument"));
    for (String malformed : new String[] {"", OPENSSL_HMAC, EXPIRY + "-", EXPIRY + "-" + OPENSSL_HMAC.substring(1),
        EXPIRY + "-" + OPENSSL_HMAC + "0", EXPIRY + "_" + OPENSSL_HMAC, "-1-" + OPENSSL_HMAC,
        "1234567890123-" + OPENSSL_HMAC, EXPIRY + "-" + OPENSSL_HMAC.replace('c', 'g')}) {
      assertThat(SignedUrls.verify(SECRET, KEY, malformed, EXPIRY)).as(malformed)
          .isEqualTo(AuthDecision.refuse("malformed sign argument"));
    }
  }

  /** Operators sign URLs with the line in docs/auth.md; what it prints must be what the server accepts. */
  @Test
  void theDocumentedOpensslOneLinerMakesASignatureTheServerAccepts() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("docs/auth.md"));
    String oneLiner = lines.stream().filter(line -> line.startsWith("echo \"?sign=")).findFirst()
        .orElseThrow(() -> new AssertionError("docs/auth.md has no line starting with echo \"?sign="));
    ProcessBuilder builder = new ProcessBuilder("bash", "-c", oneLiner).redirectErrorStream(true);
    builder.environment().putAll(java.util.Map.of("SECRET", SECRET, "APP", "live", "NAME", "test",
        "EXPIRY", String.valueOf(EXPIRY)));
    Process process = builder.start();
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();

    assertThat(printed).isEqualTo("?sign=" + EXPIRY + "-" + OPENSSL_HMAC);
  }
}
