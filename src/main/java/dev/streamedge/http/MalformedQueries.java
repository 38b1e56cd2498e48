package dev.streamedge.http;

import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.metrics.Metrics;
import dev.streamedge.metrics.Refusal;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's first route: a request whose query has a broken %-escape ({@code ?a=%ZZ}) gets 400 here,
 * counted as bad input with one rate-limited log line. Without it, the first route with a path parameter
 * (the FLV form {@code /<app>/<key>.flv}, the API's {@code /api/v1/streams/{app}/{key}}) decoded the query
 * while matching, and Vert.x Web logged each such request as an unhandled exception with its stack.
 */
final class MalformedQueries {

  private static final Logger LOG = LoggerFactory.getLogger(MalformedQueries.class);
  private static final RateLimitedLog REFUSED_LOG = RateLimitedLog.of(LOG, "refused");

  private MalformedQueries() {
  }

  static Handler<RoutingContext> refuse(Metrics metrics) {
    return ctx -> {
      try {
        // Decodes the query once; Vert.x keeps the result for the routes after this one.
        ctx.request().params();
      } catch (IllegalArgumentException e) {
        metrics.refused(Refusal.BAD_INPUT);
        // The path, not the query: a query can carry a signature or a key.
        REFUSED_LOG.info("http: refused {} {} {} reason=malformed query", ctx.request().remoteAddress(),
            ctx.request().method(), ctx.request().path());
        ctx.response().setStatusCode(400).putHeader("Content-Type", "text/plain").end("malformed query\n");
        return;
      }
      ctx.next();
    };
  }
}
