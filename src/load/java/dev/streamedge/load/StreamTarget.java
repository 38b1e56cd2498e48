package dev.streamedge.load;

import java.net.URI;

/**
 * Where the stream is published, or where RTMP players play it: {@code rtmp://host[:port]/app/name}.
 *
 * @param host a server's host, as given on the command line: the load generator connects to no other
 */
record StreamTarget(String host, int port, String app, String name) {

  static StreamTarget parse(String url) {
    URI uri = URI.create(url);
    String path = uri.getPath() == null ? "" : uri.getPath();
    int slash = path.lastIndexOf('/');
    if (!"rtmp".equals(uri.getScheme()) || uri.getHost() == null || slash <= 0 || slash == path.length() - 1) {
      throw new IllegalArgumentException("expected rtmp://host[:port]/app/name, got " + url);
    }
    return new StreamTarget(uri.getHost(), uri.getPort() < 0 ? 1935 : uri.getPort(), path.substring(1, slash),
        path.substring(slash + 1));
  }

  String url() {
    return "rtmp://" + host + ":" + port + "/" + app + "/" + name;
  }
}
