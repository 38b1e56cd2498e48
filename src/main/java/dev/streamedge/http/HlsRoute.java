package dev.streamedge.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;

/**
 * Every HLS URL ({@link HlsPath}), read once without regular expressions, served in front of the router:
 * an HLS player makes up to ten requests a second, and Vert.x Web's routing context, wrapper and route
 * matching were a quarter of the allocation of 1000 LL-HLS players (bench/RESULTS.md). A path the
 * router would have to normalize (a %-escape, a dot segment, an empty segment) goes through the router
 * instead, where the same URL is served by this class's route, first after CORS preflight. GET and HEAD
 * only; what is not an HLS URL goes on to the router's other routes (a 404 in the end). A draining node
 * refuses new viewers here as on its other media routes.
 */
final class HlsRoute {

  private final MasterPlaylistHandler seeds;
  private final HlsHandler media;
  private final HlsKeyHandler keys;
  private final HlsSessionHook sessions;
  private final BooleanSupplier draining;

  HlsRoute(MasterPlaylistHandler seeds, HlsHandler media, HlsKeyHandler keys, HlsSessionHook sessions,
      BooleanSupplier draining) {
    this.seeds = seeds;
    this.media = media;
    this.keys = keys;
    this.sessions = sessions;
    this.draining = draining;
  }

  /**
   * In front of the router: serves {@code request} and returns true when its path is an HLS URL as it
   * stands; false leaves it to the router untouched.
   */
  boolean serveDirect(HttpServerRequest request) {
    String path = request.path();
    if (path == null || !path.startsWith("/hls/") || !plain(path)) {
      return false;
    }
    HlsPath hls = parse(request.method(), path);
    if (hls == null) {
      return false;
    }
    try {
      serve(request, hls);
    } catch (RuntimeException e) {
      // What the router's default failure handler would answer.
      if (!request.response().ended() && !request.response().headWritten()) {
        request.response().setStatusCode(500).end();
      }
      throw e;
    }
    return true;
  }

  /** The router's route: the normalized path is what Vert.x Web's own routes match. */
  void handle(RoutingContext ctx) {
    HlsPath path = parse(ctx.request().method(), ctx.normalizedPath());
    if (path == null) {
      ctx.next();
      return;
    }
    serve(ctx.request(), path);
  }

  private static HlsPath parse(HttpMethod method, String path) {
    return method == HttpMethod.GET || method == HttpMethod.HEAD ? HlsPath.parse(path) : null;
  }

  /**
   * Whether Vert.x Web's normalization (RFC 3986 §5.2.4 dot segments, §6.2.2.2 escapes of unreserved
   * characters, and empty segments) would leave {@code path} as it is.
   */
  static boolean plain(String path) {
    char previous = 0;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%' || c == '\\' || c == '/' && previous == '/' || c == '.' && previous == '/') {
        return false;
      }
      previous = c;
    }
    return true;
  }

  private void serve(HttpServerRequest request, HlsPath path) {
    if (draining.getAsBoolean()) {
      HttpServerVerticle.refuseDraining(request);
      return;
    }
    if (keys.withheld(request, path)) {
      return;
    }
    sessions.observe(request, path);
    switch (path.kind()) {
      case SEED_PLAYLIST -> seeds.playlist(request, path.app(), path.name(), path.shortForm() ? "live/" : "");
      case VARIANT_PLAYLIST -> media.variantPlaylist(request, path.app(), path.name(), path.variant());
      case SEGMENT -> media.segment(request, path.app(), path.name(), path.number(), path.variant());
      case PART -> media.part(request, path.app(), path.name(), path.number());
      case INIT -> media.init(request, path.app(), path.name(), path.number());
      case KEY -> keys.key(request, path.app(), path.name(), path.number());
    }
  }
}
