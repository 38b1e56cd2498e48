package dev.streamedge.net;

import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust of a client that also takes certificates by their SHA-256 fingerprint ({@code relay.tls-fingerprints}):
 * a camera's or a private server's self-signed certificate, which no authority signed and which seldom names the
 * address it is reached by, is taken when its own fingerprint is listed, as MediaMTX's {@code sourceFingerprint}
 * does; whoever holds its private key is that server, whatever the name. Any other certificate is checked as
 * before, against the JVM's authorities and (with the client's host name verification) the host name.
 *
 * <p>An {@link X509ExtendedTrustManager}, so that the JDK does not wrap it and check the host name of a pinned
 * certificate after it (the extended methods do that check, in the delegate only).
 */
public final class PinnedTrust extends X509ExtendedTrustManager {

  private static final HexFormat HEX = HexFormat.of();
  private final Set<String> pinned;
  private final X509ExtendedTrustManager authorities;
  private final String listedIn;

  private PinnedTrust(Set<String> pinned, X509ExtendedTrustManager authorities, String listedIn) {
    this.pinned = pinned;
    this.authorities = authorities;
    this.listedIn = listedIn;
  }

  /**
   * The fingerprints of {@code text}: comma-separated SHA-256 digests in hex, 64 digits each, colons between the
   * bytes allowed (as {@code openssl x509 -fingerprint -sha256} prints them, with or without its
   * {@code sha256 Fingerprint=}), any case; "" for none. Lower-case hex without colons, in order, each once.
   *
   * @throws IllegalArgumentException for an item that is not such a digest
   */
  public static List<String> parse(String text) {
    Set<String> fingerprints = new LinkedHashSet<>();
    if (text.isBlank()) {
      return List.of();
    }
    for (String item : text.split(",", -1)) {
      String digest = item.strip();
      int equals = digest.indexOf('=');
      if (equals >= 0 && digest.substring(0, equals).strip().equalsIgnoreCase("sha256 Fingerprint")) {
        digest = digest.substring(equals + 1).strip();
      }
      digest = digest.replace(":", "").toLowerCase(Locale.ROOT);
      if (!digest.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("not a SHA-256 fingerprint: " + item.strip());
      }
      fingerprints.add(digest);
    }
    return List.copyOf(fingerprints);
  }

  /**
   * Trust options for a client: the JVM's authorities, and the certificates of {@code fingerprints} (as {@link
   * #parse} returns them) whatever signed them and whatever they name. A refusal names the certificate and its
   * fingerprint, and {@code listedIn}, where a fingerprint would be pinned. Nothing is read until the client's
   * first TLS connection, and then on a worker thread (Vert.x builds a client's TLS context in a blocking task):
   * the JVM's trusted certificates are a file.
   */
  public static TrustOptions options(List<String> fingerprints, String listedIn) {
    return new Options(Set.copyOf(fingerprints), listedIn);
  }

  /** Built once, at the first TLS connection of the clients sharing it; immutable, so its own copy. */
  private static final class Options implements TrustOptions {
    private final Set<String> fingerprints;
    private final String listedIn;
    private TrustOptions built;

    Options(Set<String> fingerprints, String listedIn) {
      this.fingerprints = fingerprints;
      this.listedIn = listedIn;
    }

    @Override
    public TrustOptions copy() {
      return this;
    }

    @Override
    public TrustManagerFactory getTrustManagerFactory(Vertx vertx) throws Exception {
      return built().getTrustManagerFactory(vertx);
    }

    @Override
    public Function<String, TrustManager[]> trustManagerMapper(Vertx vertx) throws Exception {
      return built().trustManagerMapper(vertx);
    }

    /** On a worker thread, never an event loop: the lock and the file are blocking. */
    private synchronized TrustOptions built() throws GeneralSecurityException {
      if (built == null) {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (TrustManager manager : factory.getTrustManagers()) {
          if (manager instanceof X509ExtendedTrustManager jvm) {
            built = TrustOptions.wrap(new PinnedTrust(fingerprints, jvm, listedIn));
            return built;
          }
        }
        throw new IllegalStateException("the JVM has no X.509 trust manager");
      }
      return built;
    }
  }

  /** The SHA-256 digest of a certificate's DER encoding, lower-case hex: what {@link #parse} returns for it. */
  public static String fingerprint(X509Certificate certificate) throws CertificateEncodingException {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * The JVM's refusal, with what a user needs to pin the certificate if it is the one they expect: its subject and
   * its fingerprint as openssl prints it.
   */
  private CertificateException refusal(X509Certificate[] chain, CertificateException refused)
      throws CertificateException {
    if (chain == null || chain.length == 0) {
      return refused;
    }
    String fingerprint = HexFormat.ofDelimiter(":").withUpperCase()
        .formatHex(HEX.parseHex(fingerprint(chain[0])));
    // The JDK's words for an unknown issuer name its internals; a name mismatch or an expiry it says plainly.
    String why = String.valueOf(refused.getMessage()).contains("PKIX path building failed")
        ? "no authority the JVM trusts signed it" : refused.getMessage();
    return new CertificateException("the certificate of " + chain[0].getSubjectX500Principal().getName()
        + " (sha256 Fingerprint=" + fingerprint + ") is not trusted: " + why + ", and " + listedIn
        + " does not list it", refused);
  }

  /** Whether the server's own certificate (the chain's first) is a pinned one. */
  private boolean pinned(X509Certificate[] chain) throws CertificateException {
    return chain != null && chain.length > 0 && pinned.contains(fingerprint(chain[0]));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    if (!pinned(chain)) {
      try {
        authorities.checkServerTrusted(chain, authType, engine);
      } catch (CertificateException refused) {
        throw refusal(chain, refused);
      }
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    if (!pinned(chain)) {
      try {
        authorities.checkServerTrusted(chain, authType, socket);
      } catch (CertificateException refused) {
        throw refusal(chain, refused);
      }
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    if (!pinned(chain)) {
      try {
        authorities.checkServerTrusted(chain, authType);
      } catch (CertificateException refused) {
        throw refusal(chain, refused);
      }
    }
  }

  /** A client's trust: it is never asked about clients; the JVM's answer if it is. */
  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    authorities.checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    authorities.checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    authorities.checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return authorities.getAcceptedIssuers();
  }
}
