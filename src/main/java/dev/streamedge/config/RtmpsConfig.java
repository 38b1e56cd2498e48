package dev.streamedge.config;

/**
 * RTMP over TLS. The loader has checked that cert and key are either both empty or both readable
 * files, so {@link #enabled()} is all a listener needs to ask.
 *
 * @param cert PEM certificate chain path, relative to the working directory; empty when off
 * @param key PEM private key path, relative to the working directory; empty when off
 */
public record RtmpsConfig(int port, String cert, String key) {

  public boolean enabled() {
    return !cert.isEmpty();
  }
}
