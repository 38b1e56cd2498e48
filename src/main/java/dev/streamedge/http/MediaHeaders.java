package dev.streamedge.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** The CORS headers of media responses, so browser players on other origins (hls.js, mpegts.js) work. */
final class MediaHeaders {

  private final String corsOrigin;

  MediaHeaders(String corsOrigin) {
    this.corsOrigin = corsOrigin;
  }

  HttpServerResponse cors(HttpServerResponse response) {
    if (!corsOrigin.isEmpty()) {
      response.putHeader("Access-Control-Allow-Origin", corsOrigin)
          .putHeader("Access-Control-Expose-Headers", "Content-Length, Content-Range");
    }
    return response;
  }

  /** Answers a CORS preflight (a player that sends Range, for example). */
  void preflight(RoutingContext ctx) {
    HttpServerResponse response = cors(ctx.response().setStatusCode(204));
    if (!corsOrigin.isEmpty()) {
      response.putHeader("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
          .putHeader("Access-Control-Allow-Headers", "Range")
          .putHeader("Access-Control-Max-Age", "86400");
    }
    response.end();
  }
}
