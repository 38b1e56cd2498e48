package dev.streamedge.ops;

import dev.streamedge.metrics.Metrics;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** The operations endpoints on a router: {@code /health/live}, {@code /health/ready} and {@code /metrics}. */
public final class OpsRoutes {

  /** The Prometheus text exposition format, version 0.0.4, which every Prometheus scrapes. */
  private static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final String JSON_TYPE = "application/json";

  private OpsRoutes() {
  }

  /**
   * Liveness answers 200 whenever an event loop can answer at all; readiness 200 or 503 with the
   * checks, which is what Kubernetes probes (and most load balancers) act on.
   */
  public static void health(Router router, Health health) {
    router.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(ctx -> {
      Health.Report report = health.readiness();
      json(ctx, report.up() ? 200 : 503, report.json());
    });
  }

  /** {@code GET /metrics}, when metrics are enabled. */
  public static void metrics(Router router, Metrics metrics) {
    if (!metrics.enabled()) {
      return;
    }
    router.route("/metrics").method(HttpMethod.GET).handler(ctx ->
        // Rendering every meter takes milliseconds of CPU: a worker thread does it, not the event loop
        // that carries media.
        ctx.vertx().executeBlocking(() -> metrics.scrape().orElseThrow(), false).onComplete(scraped -> {
          if (scraped.failed()) {
            ctx.fail(scraped.cause());
            return;
          }
          ctx.response().putHeader("Content-Type", PROMETHEUS_TYPE).end(scraped.result());
        }));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", JSON_TYPE)
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }
}
