package dev.streamedge.ui;

import dev.streamedge.api.Api;
import dev.streamedge.config.UiConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Supplier;

/**
 * The web dashboard: the page at {@code /} and {@code /ui/}, its files under {@code /ui/}, and its live
 * feed at {@code /ui/events} (server-sent events), all behind the API's access rules. One per node,
 * mounted on every HTTP verticle's router.
 */
public final class Dashboard {

  private final boolean enabled;
  private final Api api;
  private final DashboardFeed feed;
  private volatile Assets assets;

  /** {@code clusterNodes}: what each node of the cluster says of itself ({@code NodeBoard}); empty on a single node. */
  public Dashboard(Vertx vertx, UiConfig config, Api api, Supplier<List<JsonObject>> clusterNodes) {
    this.enabled = config.enabled() && api.enabled();
    this.api = api;
    this.feed = new DashboardFeed(vertx, config, api, clusterNodes);
    if (enabled) {
      vertx.executeBlocking(Assets::load).onSuccess(loaded -> assets = loaded);
      feed.start();
    }
  }

  /** Adds the dashboard's routes to {@code router}, unless {@code ui.enabled} or {@code api.enabled} is false. */
  public void mount(Router router) {
    if (!enabled) {
      return;
    }
    router.routeWithRegex("/|/ui|/ui/.*").handler(api.guard(true));
    router.get("/").handler(ctx -> serve(ctx, "index.html"));
    router.get("/ui").handler(ctx -> ctx.response().setStatusCode(301).putHeader("Location", "/ui/").end());
    router.get("/ui/").handler(ctx -> serve(ctx, "index.html"));
    router.get("/ui/events").handler(feed::subscribe);
    router.routeWithRegex(HttpMethod.GET, "/ui/([a-z]+\\.(?:html|css|js)|vendor/[a-z.]+\\.js)")
        .handler(ctx -> serve(ctx, ctx.pathParam("param0")));
  }

  private void serve(RoutingContext ctx, String name) {
    Assets loaded = assets;
    Assets.Asset asset = loaded == null ? null : loaded.get(name);
    if (asset == null) {
      ctx.response().setStatusCode(loaded == null ? 503 : 404).end();
      return;
    }
    ctx.response()
        .putHeader("Content-Type", asset.type())
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Content-Type-Options", "nosniff")
        // The page loads only its own files and talks only to its own node: no inline script, no CDN.
        .putHeader("Content-Security-Policy", "default-src 'self'; media-src 'self' blob:; "
            + "worker-src 'self' blob:; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'")
        .end(asset.body());
  }
}
