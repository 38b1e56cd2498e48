package dev.streamedge.api;

import dev.streamedge.exec.ExecService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/** {@code /api/v1/exec}: the processes of the {@code exec.*} commands running now. */
final class ExecApi {

  private final ExecService exec;

  ExecApi(ExecService exec) {
    this.exec = exec;
  }

  /** {@code GET /api/v1/exec}. */
  void list(RoutingContext ctx) {
    JsonArray list = new JsonArray();
    exec.states().forEach(state -> {
      int slash = state.stream().indexOf('/');
      list.add(new JsonObject()
          .put("event", state.event())
          .put("stream", slash < 0 ? null : new JsonObject().put("app", state.stream().substring(0, slash))
              .put("key", state.stream().substring(slash + 1)))
          .put("program", state.program())
          .put("pid", state.pid())
          .put("startedAt", Instant.ofEpochMilli(state.startedAtMillis()).toString()));
    });
    Replies.json(ctx, 200, new JsonObject().put("processes", list));
  }
}
