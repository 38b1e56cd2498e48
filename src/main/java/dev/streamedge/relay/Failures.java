package dev.streamedge.relay;

import java.security.cert.CertificateException;

/** What a relay's API state and log say of a failed connection. */
final class Failures {

  private Failures() {
  }

  /**
   * The failure's message; for a TLS handshake refused over the server's certificate, the refusal's own (which
   * names the certificate and its fingerprint, {@link dev.streamedge.net.PinnedTrust}) rather than Vert.x's
   * "Failed to create SSL connection" around it.
   */
  static String describe(Throwable failure) {
    Throwable cause = failure;
    for (int depth = 0; cause != null && depth < 16; depth++, cause = cause.getCause()) {
      if (cause instanceof CertificateException refused && refused.getMessage() != null) {
        return "TLS: " + refused.getMessage();
      }
    }
    return String.valueOf(failure.getMessage());
  }
}
