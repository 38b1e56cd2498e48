package dev.streamedge.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;

/**
 * The one route of every HLS URL ({@link HlsPath}), mounted right after CORS preflight: an HLS request
 * is read once, without regular expressions, instead of being tried against each route of the API,
 * the dashboard, RTMPT and the HLS forms in turn. GET and HEAD only; what is not an HLS URL goes on to
 * the routes after it (a 404 in the end). A draining node refuses new viewers here as on its other
 * media routes.
 */
final class HlsRoute {

  private final MasterPlaylistHandler seeds;
  private final HlsHandler media;
  private final HlsSessionHook sessions;
  private final BooleanSupplier draining;

  HlsRoute(MasterPlaylistHandler seeds, HlsHandler media, HlsSessionHook sessions, BooleanSupplier draining) {
    this.seeds = seeds;
    this.media = media;
    this.sessions = sessions;
    this.draining = draining;
  }

  void handle(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    // The normalized path is what Vert.x Web's own routes match: dot segments resolved, %-escapes
    // of unreserved characters decoded.
    HlsPath path = method == HttpMethod.GET || method == HttpMethod.HEAD ? HlsPath.parse(ctx.normalizedPath()) : null;
    if (path == null) {
      ctx.next();
      return;
    }
    if (draining.getAsBoolean()) {
      HttpServerVerticle.refuseDraining(ctx);
      return;
    }
    sessions.observe(ctx, path);
    switch (path.kind()) {
      case SEED_PLAYLIST -> seeds.playlist(ctx, path.app(), path.name(), path.shortForm() ? "live/" : "");
      case VARIANT_PLAYLIST -> media.variantPlaylist(ctx, path.app(), path.name(), path.variant());
      case SEGMENT -> media.segment(ctx, path.app(), path.name(), path.number(), path.variant());
      case PART -> media.part(ctx, path.app(), path.name(), path.number());
      case INIT -> media.init(ctx, path.app(), path.name(), path.number());
    }
  }
}
