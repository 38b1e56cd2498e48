package dev.streamedge.api;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;

/** JSON answers of the API. */
final class Replies {

  private Replies() {
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    // No CORS header: a web page on another origin can neither read the API nor, since the preflight
    // allows only GET and HEAD without an Authorization header, send it a DELETE.
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }

  static void error(RoutingContext ctx, int status, String message) {
    json(ctx, status, new JsonObject().put("error", message));
  }

  static void noContent(RoutingContext ctx) {
    ctx.response().setStatusCode(204).putHeader("Cache-Control", "no-store").end();
  }

  /**
   * Runs {@code answer} with the result of {@code snapshot} back on the request's context (the snapshot
   * completes on whichever event loop answered last); a failure is a 500.
   */
  static <T> void when(RoutingContext ctx, Future<T> snapshot, Consumer<T> answer) {
    Context context = Vertx.currentContext();
    snapshot.onComplete(done -> context.runOnContext(v -> {
      if (done.succeeded()) {
        answer.accept(done.result());
      } else {
        ctx.fail(done.cause());
      }
    }));
  }
}
