package dev.streamedge.rtmp.client;

import java.util.Locale;

/**
 * The six RTMP variants a client can speak, each named by its URL scheme: how its bytes travel (a TCP
 * socket, TLS, or the RTMPT tunnel over HTTP or HTTPS) and whether RTMPE's handshake and RC4 carry them.
 * Default ports are those ffmpeg and librtmp use when a URL names none.
 */
public enum Variant {
  RTMP("rtmp", 1935, false, false, false),
  RTMPS("rtmps", 443, true, false, false),
  RTMPE("rtmpe", 1935, false, false, true),
  RTMPT("rtmpt", 80, false, true, false),
  RTMPTS("rtmpts", 443, true, true, false),
  RTMPTE("rtmpte", 80, false, true, true);

  private final String scheme;
  private final int defaultPort;
  private final boolean tls;
  private final boolean tunnel;
  private final boolean encrypted;

  Variant(String scheme, int defaultPort, boolean tls, boolean tunnel, boolean encrypted) {
    this.scheme = scheme;
    this.defaultPort = defaultPort;
    this.tls = tls;
    this.tunnel = tunnel;
    this.encrypted = encrypted;
  }

  /** The variant of URL scheme {@code scheme}, in any case; null for a scheme that is none of them. */
  public static Variant ofScheme(String scheme) {
    if (scheme == null) {
      return null;
    }
    String lower = scheme.toLowerCase(Locale.ROOT);
    for (Variant variant : values()) {
      if (variant.scheme.equals(lower)) {
        return variant;
      }
    }
    return null;
  }

  public String scheme() {
    return scheme;
  }

  public int defaultPort() {
    return defaultPort;
  }

  /** Whether TLS carries the bytes: RTMPS on a socket, RTMPTS around the tunnel's HTTP. */
  public boolean tls() {
    return tls;
  }

  /** Whether the bytes travel in the RTMPT tunnel (HTTP POSTs) rather than on a socket of their own. */
  public boolean tunnel() {
    return tunnel;
  }

  /** Whether RTMPE's handshake and RC4 carry the RTMP bytes: RTMPE and RTMPTE. */
  public boolean encrypted() {
    return encrypted;
  }
}
