package dev.streamedge.api;

import dev.streamedge.transcode.TranscodeService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/v1/transcoders}: each stream's transcoder, its ffmpeg, speed and CPU. */
final class TranscodersApi {

  private final TranscodeService transcode;

  TranscodersApi(TranscodeService transcode) {
    this.transcode = transcode;
  }

  /** {@code GET /api/v1/transcoders}. */
  void list(RoutingContext ctx) {
    Replies.json(ctx, 200, body());
  }

  /** The body of the list. Any thread. */
  JsonObject body() {
    JsonArray list = new JsonArray();
    transcode.states().forEach(state -> list.add(new JsonObject()
        .put("stream", new JsonObject().put("app", state.app()).put("key", state.key()))
        .put("state", state.state())
        .put("pid", state.pid() < 0 ? null : state.pid())
        .put("speed", state.speed())
        .put("cpu", state.cpu())
        .put("frames", state.frames())
        .put("restarts", state.restarts())
        .put("droppedPackets", state.droppedPackets())
        .put("addedLatencyMs", state.addedLatencyMillis() < 0 ? null : state.addedLatencyMillis())
        .put("lastExit", state.lastExit().isEmpty() ? null : state.lastExit())));
    return new JsonObject().put("transcoders", list);
  }
}
