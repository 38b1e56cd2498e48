package dev.streamedge.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Certificates pinned by fingerprint ({@code relay.tls-fingerprints}): the fingerprint forms people paste, and a
 * trust manager that takes a pinned certificate whatever signed it and refuses any other as the JVM does, naming it.
 */
@Tag("unit")
class PinnedTrustTest {

  /** {@code openssl x509 -noout -fingerprint -sha256 -in src/test/resources/tls/cert.pem}. */
  private static final String TEST_CERT = "sha256 Fingerprint=FE:D3:44:2E:B2:7C:26:36:BF:A1:8A:D5:37:05:67:34:A7:5B:"
      + "0D:32:01:AA:A6:73:39:58:F1:43:AB:04:31:30";
  private static final String TEST_CERT_HEX = "fed3442eb27c2636bfa18ad537056734a75b0d3201aaa6733958f143ab043130";

  @Test
  void fingerprintsAreReadAsOpensslPrintsThemWithOrWithoutColonsInAnyCaseEachOnce() {
    assertThat(PinnedTrust.parse("")).isEmpty();
    assertThat(PinnedTrust.parse(TEST_CERT)).containsExactly(TEST_CERT_HEX);
    assertThat(PinnedTrust.parse(TEST_CERT_HEX.toUpperCase() + ", " + TEST_CERT + "," + "ab".repeat(32)))
        .containsExactly(TEST_CERT_HEX, "ab".repeat(32));
    assertThat(PinnedTrust.parse(" SHA256 Fingerprint = " + TEST_CERT_HEX)).containsExactly(TEST_CERT_HEX);
  }

  @Test
  void anythingButA256BitDigestIsRefusedNamingTheItem() {
    for (String bad : List.of("fed3", TEST_CERT_HEX + "00", "sha1 Fingerprint=" + TEST_CERT_HEX, TEST_CERT_HEX + ",",
        "zz".repeat(32), "md5=" + TEST_CERT_HEX)) {
      assertThatThrownBy(() -> PinnedTrust.parse(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("not a SHA-256 fingerprint: ");
    }
  }

  @Test
  void thePinnedCertificateIsTakenAndAnotherRefusedWithItsSubjectAndFingerprint() throws Exception {
    X509Certificate cert = certificate(Path.of("src/test/resources/tls/cert.pem"));
    assertThat(PinnedTrust.fingerprint(cert)).isEqualTo(TEST_CERT_HEX);
    Vertx vertx = Vertx.vertx();
    try {
      X509ExtendedTrustManager pinned = manager(vertx, List.of(TEST_CERT_HEX));
      pinned.checkServerTrusted(new X509Certificate[] {cert}, "RSA");

      X509ExtendedTrustManager other = manager(vertx, List.of("ab".repeat(32)));
      assertThatThrownBy(() -> other.checkServerTrusted(new X509Certificate[] {cert}, "RSA"))
          .isInstanceOf(CertificateException.class)
          .hasMessage("the certificate of CN=localhost (" + TEST_CERT + ") is not trusted: no authority the JVM"
              + " trusts signed it, and relay.tls-fingerprints does not list it");
      assertThatThrownBy(() -> manager(vertx, List.of()).checkServerTrusted(new X509Certificate[] {cert}, "RSA"))
          .isInstanceOf(CertificateException.class);
    } finally {
      vertx.close();
    }
  }

  @Test
  void theOptionsAreTheirOwnCopySoThatClientsShareOneTlsContext() {
    var options = PinnedTrust.options(List.of(TEST_CERT_HEX), "relay.tls-fingerprints");
    assertThat(options.copy()).isSameAs(options);
  }

  private static X509ExtendedTrustManager manager(Vertx vertx, List<String> fingerprints) throws Exception {
    return (X509ExtendedTrustManager) PinnedTrust.options(fingerprints, "relay.tls-fingerprints")
        .getTrustManagerFactory(vertx).getTrustManagers()[0];
  }

  private static X509Certificate certificate(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
