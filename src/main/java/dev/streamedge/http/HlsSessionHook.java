package dev.streamedge.http;

import dev.streamedge.session.HlsSessions;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamNames;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * Feeds {@link HlsSessions} from the HLS playlist requests this listener serves (and, with its own
 * sessions, from MPEG-DASH MPD requests, {@link DashHandler}): {@link HlsRoute} shows it each HLS request
 * before serving it, and once the answer's status is known it counts a playlist GET
 * answered 200. Refused, missing and HEAD requests count nothing, and neither do
 * segments: a live player reloads its playlist at least once a target duration, which keeps its session,
 * while its segment URIs (relative, so without the playlist's query) would count a player that carries an
 * {@code hls_ctx} a second time, by its address. It knows nothing of how HLS is packaged, only the URL
 * forms of docs/playback.md.
 */
final class HlsSessionHook {

  private final HlsSessions sessions;

  HlsSessionHook(HlsSessions sessions) {
    this.sessions = sessions;
  }

  /** Counts {@code path}'s stream once the answer is known to be 200, if it is a playlist GET. */
  void observe(HttpServerRequest request, HlsPath path) {
    StreamKey key = counted(path);
    if (key != null) {
      count(request, key);
    }
  }

  /**
   * Counts a player of {@code key} once the answer to {@code request} is known to be 200, if it is a GET: the
   * request for what a player reloads (a playlist, an MPD), never for its segments.
   */
  void count(HttpServerRequest request, StreamKey key) {
    if (sessions.enabled() && request.method() == HttpMethod.GET) {
      // Nothing else on an HLS response sets a headers-end handler (Vert.x core keeps one).
      request.response().headersEndHandler(v -> {
        int status = request.response().getStatusCode();
        if (status == 200) {
          // The connection's address: on the router's path the request is Vert.x Web's wrapper, whose own
          // address first looks for Forwarded headers, which this node does not trust. Its host string
          // is the IP address's text, made once per connection (hostAddress() formats it at every call):
          // an accepted socket's address carries no host name.
          SocketAddress peer = request.connection().remoteAddress();
          sessions.seen(key, context(request.query()), peer == null ? "" : peer.host(),
              request.getHeader("User-Agent"));
        }
      });
    }
  }

  /** The player's {@code hls_ctx}, or null (then it counts by its address) when it has none or a badly encoded one. */
  private static String context(String query) {
    try {
      return QueryParam.first(query, HlsSessions.QUERY);
    } catch (IllegalArgumentException badlyEncoded) {
      return null;
    }
  }

  /** The stream a playlist URL counts a session for: seed and variant playlists with valid names; else null. */
  static StreamKey counted(HlsPath path) {
    boolean playlist = path != null
        && (path.kind() == HlsPath.Kind.SEED_PLAYLIST || path.kind() == HlsPath.Kind.VARIANT_PLAYLIST);
    return playlist && StreamNames.valid(path.app()) && StreamNames.valid(path.name())
        ? new StreamKey(path.app(), path.name()) : null;
  }
}
