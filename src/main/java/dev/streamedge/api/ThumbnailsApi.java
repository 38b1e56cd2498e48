package dev.streamedge.api;

import dev.streamedge.stream.StreamKey;
import dev.streamedge.thumbnail.ThumbnailRefusal;
import dev.streamedge.thumbnail.ThumbnailService;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/v1/streams/{app}/{key}/thumbnail.jpg}: the JPEG of a live stream's last keyframe, cacheable for
 * what is left of {@code thumbnail.max-age}; a refusal is JSON with its status (404, 502, 503 with Retry-After,
 * 504).
 */
final class ThumbnailsApi {

  private final ThumbnailService thumbnails;

  ThumbnailsApi(ThumbnailService thumbnails) {
    this.thumbnails = thumbnails;
  }

  void get(RoutingContext ctx) {
    StreamKey key = StreamsApi.keyOf(ctx);
    if (key == null) {
      return;
    }
    Context context = Vertx.currentContext();
    thumbnails.thumbnail(key).onComplete(done -> context.runOnContext(v -> {
      if (done.succeeded()) {
        ctx.response().setStatusCode(200)
            .putHeader("Content-Type", "image/jpeg")
            .putHeader("Cache-Control", "private, max-age=" + thumbnails.config().maxAge().toSeconds())
            .end(done.result());
      } else if (done.cause() instanceof ThumbnailRefusal refusal) {
        if (refusal.status() == 503) {
          ctx.response().putHeader("Retry-After", "1");
        }
        Replies.error(ctx, refusal.status(), refusal.getMessage());
      } else {
        ctx.fail(done.cause());
      }
    }));
  }
}
