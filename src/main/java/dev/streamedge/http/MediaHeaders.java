package dev.streamedge.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** The CORS headers of media responses, so browser players on other origins (hls.js, mpegts.js) work. */
final class MediaHeaders {

  /** Pre-encoded, as set on every media response (HttpHeaders.createOptimized: copied as bytes). */
  private static final CharSequence EXPOSED = HttpHeaders.createOptimized("Content-Length, Content-Range");

  /** Access-Control-Allow-Origin's value; empty for no CORS headers. */
  private final CharSequence origin;

  MediaHeaders(String corsOrigin) {
    this.origin = HttpHeaders.createOptimized(corsOrigin);
  }

  HttpServerResponse cors(HttpServerResponse response) {
    if (!origin.isEmpty()) {
      response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
          .putHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED);
    }
    return response;
  }

  /** Answers a CORS preflight (a player that sends Range, for example). */
  void preflight(RoutingContext ctx) {
    HttpServerResponse response = cors(ctx.response().setStatusCode(204));
    if (!origin.isEmpty()) {
      response.putHeader("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
          .putHeader("Access-Control-Allow-Headers", "Range")
          .putHeader("Access-Control-Max-Age", "86400");
    }
    response.end();
  }
}
