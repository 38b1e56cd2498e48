package dev.streamedge.ops;

import dev.streamedge.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * The listener of {@code metrics.port}: {@code /metrics} and {@code /health/*} only, so that scrapes
 * and probes stay on a port the media clients never reach, and get through however many connections
 * those hold on the HTTP port. One instance: a scrape or probe every few seconds needs no more.
 */
public final class OpsServerVerticle extends VerticleBase {

  private final String host;
  private final int port;
  private final Metrics metrics;
  private final Health health;
  private final Handler<HttpConnection> gate;
  private HttpServer server;

  /** {@code gate} admits each connection: this listener's own connection limit and the request deadlines. */
  public OpsServerVerticle(String host, int port, Metrics metrics, Health health, Handler<HttpConnection> gate) {
    this.host = host;
    this.port = port;
    this.metrics = metrics;
    this.health = health;
    this.gate = gate;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    OpsRoutes.health(router, health);
    OpsRoutes.metrics(router, metrics);
    router.route().last().handler(ctx -> ctx.response().setStatusCode(404).end());
    server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port).setReuseAddress(true)
        // As on the HTTP port: every connection is seen, counted and timed from its accept.
        .setHttp2ClearTextEnabled(false)
        // Responses are written on the connection's event loop (a scrape's result included): no
        // queue for writes from other threads, as on the HTTP port.
        .setStrictThreadMode(true));
    server.connectionHandler(gate);
    return server.requestHandler(router).listen();
  }

  public int actualPort() {
    return server.actualPort();
  }
}
