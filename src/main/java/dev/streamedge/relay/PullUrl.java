package dev.streamedge.relay;

import dev.streamedge.rtmp.client.RtmpUrl;
import dev.streamedge.rtsp.RtspSourceUrl;
import java.net.URI;
import java.util.Locale;

/**
 * Where a pull plays a stream from: an RTMP URL of any variant the RTMP client speaks, an HTTP-FLV
 * URL ({@code http[s]://host[:port]/path}, e.g. another server's {@code http://origin/live/cam.flv}), or an RTSP
 * one ({@code rtsp[s]://[user:password@]host[:port]/path}, a camera's or another server's).
 */
public sealed interface PullUrl {

  /**
   * Parses {@code url} by its scheme.
   *
   * @throws IllegalArgumentException for a scheme no client speaks, or no host, app or name
   */
  static PullUrl parse(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      return HttpFlv.parse(url);
    }
    if (lower.startsWith("rtsp://") || lower.startsWith("rtsps://")) {
      return new Rtsp(RtspSourceUrl.parse(url));
    }
    return new Rtmp(RtmpUrl.parse(url));
  }

  /**
   * The source as the API and the logs name it: its URL up to the last path segment, since the stream
   * name or query may be a secret.
   */
  String label();

  /** Played with the RTSP client, RTP interleaved on its connection. */
  record Rtsp(RtspSourceUrl url) implements PullUrl {
    @Override
    public String label() {
      return url.label();
    }

    /** Without the password: the URL as the logs may show it. */
    @Override
    public String toString() {
      return url.toString();
    }
  }

  /** Played with the RTMP play client. */
  record Rtmp(RtmpUrl url) implements PullUrl {
    @Override
    public String label() {
      return url.tcUrl();
    }

    @Override
    public String toString() {
      return url.toString();
    }
  }

  /**
   * Played with an HTTP GET whose answer is an FLV stream.
   *
   * @param tls https
   * @param host a host name or address; an IPv6 address without its brackets
   * @param port the port, 80 or 443 when the URL names none
   * @param requestUri the path and query, as sent
   */
  record HttpFlv(boolean tls, String host, int port, String requestUri) implements PullUrl {

    static HttpFlv parse(String url) {
      URI uri;
      try {
        uri = URI.create(url);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not a URL: " + url, e);
      }
      boolean tls = "https".equalsIgnoreCase(uri.getScheme());
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      int slash = path.lastIndexOf('/');
      if (uri.getHost() == null || slash < 0 || slash == path.length() - 1) {
        throw new IllegalArgumentException("expected http[s]://host[:port]/path/name, got " + url);
      }
      String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
          : uri.getHost();
      int port = uri.getPort() < 0 ? tls ? 443 : 80 : uri.getPort();
      return new HttpFlv(tls, host, port, path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }

    @Override
    public String label() {
      String path = requestUri.split("\\?", 2)[0];
      return origin() + path.substring(0, path.lastIndexOf('/'));
    }

    @Override
    public String toString() {
      return origin() + requestUri;
    }

    private String origin() {
      return (tls ? "https" : "http") + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
  }
}
