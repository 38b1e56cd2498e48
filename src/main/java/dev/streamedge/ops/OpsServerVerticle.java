package dev.streamedge.ops;

import dev.streamedge.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * The listener of {@code metrics.port}: {@code /metrics} and {@code /health/*} only, so that scrapes
 * and probes can stay on a port the media clients never reach. One instance: a scrape or probe every
 * few seconds needs no more.
 */
public final class OpsServerVerticle extends VerticleBase {

  private final String host;
  private final int port;
  private final Metrics metrics;
  private final Health health;
  private HttpServer server;

  public OpsServerVerticle(String host, int port, Metrics metrics, Health health) {
    this.host = host;
    this.port = port;
    this.metrics = metrics;
    this.health = health;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    OpsRoutes.health(router, health);
    OpsRoutes.metrics(router, metrics);
    router.route().last().handler(ctx -> ctx.response().setStatusCode(404).end());
    server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port).setReuseAddress(true));
    return server.requestHandler(router).listen();
  }

  public int actualPort() {
    return server.actualPort();
  }
}
