package dev.streamedge.rtmp.client;

import java.net.URI;

/**
 * What an RTMP client connects to: {@code scheme://host[:port]/app/name} with any of the six
 * {@link Variant} schemes. The app is everything between the host and the last slash (an app may have
 * an instance, {@code live/room}); the name is what follows it, query included, as ffmpeg splits it.
 *
 * @param host a host name or address, as given; an IPv6 address without its brackets
 * @param port the port, or the variant's default when the URL names none
 */
public record RtmpUrl(Variant variant, String host, int port, String app, String name) {

  /** Parses {@code url}; an unknown scheme, no host, no app or no name is an IllegalArgumentException. */
  public static RtmpUrl parse(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a URL: " + url, e);
    }
    Variant variant = Variant.ofScheme(uri.getScheme());
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    int slash = path.lastIndexOf('/');
    if (variant == null || uri.getHost() == null || slash <= 0 || slash == path.length() - 1) {
      throw new IllegalArgumentException("expected rtmp[s|e|t|ts|te]://host[:port]/app/name, got " + url);
    }
    String name = path.substring(slash + 1) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
    return new RtmpUrl(variant, host, uri.getPort() < 0 ? variant.defaultPort() : uri.getPort(),
        path.substring(1, slash), name);
  }

  /** {@code app} on {@code host:port} over {@code variant}. */
  public static RtmpUrl of(Variant variant, String host, int port, String app, String name) {
    return new RtmpUrl(variant, host, port, app, name);
  }

  /** The connect command's {@code tcUrl}: the URL up to the app. */
  public String tcUrl() {
    return variant.scheme() + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port + "/" + app;
  }

  @Override
  public String toString() {
    return tcUrl() + "/" + name;
  }
}
