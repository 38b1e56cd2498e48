package dev.streamedge.api;

import dev.streamedge.record.RecordingName;
import dev.streamedge.record.RecordingStore;
import dev.streamedge.record.RecordingStore.Recording;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/recordings}: the recording files of this node, listed, downloaded (streamed from the
 * disk through an asynchronous file, never read into memory) and deleted. A name is {@code <app>/<file>}
 * exactly as the list shows it; anything else is refused before the disk is touched.
 */
final class RecordingsApi {

  private static final Logger LOG = LoggerFactory.getLogger(RecordingsApi.class);

  private final RecordingStore store;

  RecordingsApi(RecordingStore store) {
    this.store = store;
  }

  /** {@code GET /api/v1/recordings}. */
  void list(RoutingContext ctx) {
    Replies.when(ctx, store.list(), recordings -> {
      JsonArray list = new JsonArray();
      recordings.forEach(recording -> list.add(json(recording)));
      Replies.json(ctx, 200, new JsonObject().put("recordings", list)
          .put("truncated", recordings.size() >= RecordingStore.MAX_LISTED));
    });
  }

  /** {@code GET /api/v1/recordings/{app}/{file}}: the file, as video/x-flv or video/mp4. */
  void download(RoutingContext ctx) {
    RecordingName name = nameOf(ctx);
    if (name == null) {
      return;
    }
    Vertx vertx = ctx.vertx();
    Replies.when(ctx, store.size(name), size -> {
      if (size.isEmpty()) {
        Replies.error(ctx, 404, "no recording " + name);
        return;
      }
      vertx.fileSystem().open(store.path(name).toString(), new OpenOptions().setRead(true).setWrite(false))
          .onFailure(e -> Replies.error(ctx, 404, "no recording " + name))
          .onSuccess(file -> send(ctx.response(), name, size.get(), file));
    });
  }

  private static void send(HttpServerResponse response, RecordingName name, long size, AsyncFile file) {
    // The length when the request came: a file still being written is sent up to that point.
    file.setReadLength(size);
    response.putHeader("Content-Type", name.format().contentType())
        .putHeader("Content-Length", Long.toString(size))
        .putHeader("Content-Disposition", "attachment; filename=\"" + name.file() + "\"")
        .putHeader("Cache-Control", "no-store");
    response.send(file).onComplete(done -> file.close());
  }

  /** {@code DELETE /api/v1/recordings/{app}/{file}}. */
  void delete(RoutingContext ctx) {
    RecordingName name = nameOf(ctx);
    if (name == null) {
      return;
    }
    Replies.when(ctx, store.delete(name), deleted -> {
      switch (deleted) {
        case DELETED -> {
          LOG.info("api: deleted recording {} asked by {}", name, ctx.request().remoteAddress());
          Replies.noContent(ctx);
        }
        case BEING_WRITTEN -> Replies.error(ctx, 409, name + " is being recorded: delete it when it is done");
        default -> Replies.error(ctx, 404, "no recording " + name);
      }
    });
  }

  private static RecordingName nameOf(RoutingContext ctx) {
    Optional<RecordingName> name = RecordingName.parse(ctx.pathParam("app"), ctx.pathParam("file"));
    if (name.isEmpty()) {
      Replies.error(ctx, 400,
          "not a recording name: <app>/<key>-<yyyyMMddTHHmmss.SSSZ>.flv (or .mp4) as the list shows");
      return null;
    }
    return name.get();
  }

  private static JsonObject json(Recording recording) {
    JsonObject json = new JsonObject()
        .put("name", recording.name().toString())
        .put("app", recording.name().app())
        .put("key", recording.name().key())
        .put("bytes", recording.bytes())
        .put("start", recording.name().start().toString())
        .put("format", recording.name().format().name().toLowerCase(Locale.ROOT))
        .put("modified", recording.modified().toString())
        .put("writing", recording.writing());
    recording.durationMs().ifPresent(ms -> json.put("duration", ms / 1000.0));
    return json;
  }
}
