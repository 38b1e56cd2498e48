package dev.streamedge.load;

import java.net.URI;

/**
 * Where the stream is published, or where RTMP players play it: {@code rtmp://host[:port]/app/name},
 * or {@code rtmpe://} for RTMPE on the same port.
 *
 * @param host a server's host, as given on the command line: the load generator connects to no other
 * @param encrypted RTMPE rather than plain RTMP
 */
record StreamTarget(String host, int port, String app, String name, boolean encrypted) {

  /** A plain RTMP target. */
  StreamTarget(String host, int port, String app, String name) {
    this(host, port, app, name, false);
  }

  static StreamTarget parse(String url) {
    URI uri = URI.create(url);
    String path = uri.getPath() == null ? "" : uri.getPath();
    int slash = path.lastIndexOf('/');
    boolean encrypted = "rtmpe".equals(uri.getScheme());
    if (!("rtmp".equals(uri.getScheme()) || encrypted) || uri.getHost() == null || slash <= 0
        || slash == path.length() - 1) {
      throw new IllegalArgumentException("expected rtmp://host[:port]/app/name or rtmpe://..., got " + url);
    }
    return new StreamTarget(uri.getHost(), uri.getPort() < 0 ? 1935 : uri.getPort(), path.substring(1, slash),
        path.substring(slash + 1), encrypted);
  }

  String url() {
    return (encrypted ? "rtmpe://" : "rtmp://") + host + ":" + port + "/" + app + "/" + name;
  }
}
