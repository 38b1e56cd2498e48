package dev.streamedge.http;

import dev.streamedge.session.HlsSessions;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamNames;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Feeds {@link HlsSessions} from the HLS playlist requests this listener serves: one route in front of
 * every {@code /hls/} route, which reads the stream from the path and, once the answer's status is known,
 * counts a playlist GET answered 200. Refused, missing and HEAD requests count nothing, and neither do
 * segments: a live player reloads its playlist at least once a target duration, which keeps its session,
 * while its segment URIs (relative, so without the playlist's query) would count a player that carries an
 * {@code hls_ctx} a second time, by its address. It knows nothing of how HLS is packaged, only the URL
 * forms of docs/playback.md.
 */
final class HlsSessionHook {

  private static final String PREFIX = "/hls/";

  private final HlsSessions sessions;

  HlsSessionHook(HlsSessions sessions) {
    this.sessions = sessions;
  }

  void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String path = request.path();
    StreamKey key = sessions.enabled() && request.method() == HttpMethod.GET && path.endsWith(".m3u8")
        ? streamOf(path) : null;
    if (key != null) {
      ctx.addHeadersEndHandler(v -> {
        int status = ctx.response().getStatusCode();
        if (status == 200) {
          sessions.seen(key, request.getParam(HlsSessions.QUERY),
              request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress(),
              request.getHeader("User-Agent"));
        }
      });
    }
    ctx.next();
  }

  /**
   * The stream an HLS path names: {@code /hls/<key>.m3u8} and {@code /hls/<key>/<file>} (nginx-rtmp's
   * forms, app {@code live}), {@code /hls/<app>/<key>.m3u8} and {@code /hls/<app>/<key>/<file>}; null
   * for anything else.
   */
  static StreamKey streamOf(String path) {
    if (path == null || !path.startsWith(PREFIX)) {
      return null;
    }
    String[] parts = path.substring(PREFIX.length()).split("/", -1);
    String app;
    String name;
    if (parts.length == 1 && parts[0].endsWith(".m3u8")) {
      app = "live";
      name = parts[0].substring(0, parts[0].length() - ".m3u8".length());
    } else if (parts.length == 2 && parts[1].endsWith(".m3u8")) {
      app = parts[0];
      name = parts[1].substring(0, parts[1].length() - ".m3u8".length());
    } else if (parts.length == 2) {
      app = "live";
      name = parts[0];
    } else if (parts.length == 3) {
      app = parts[0];
      name = parts[1];
    } else {
      return null;
    }
    return StreamNames.valid(app) && StreamNames.valid(name) ? new StreamKey(app, name) : null;
  }
}
