package dev.streamedge.api;

import dev.streamedge.relay.PullState;
import dev.streamedge.relay.PushState;
import dev.streamedge.relay.RelayService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/** {@code /api/v1/relays}: each stream's push to each target, and each static pull, with their state. */
final class RelaysApi {

  private final RelayService relays;

  RelaysApi(RelayService relays) {
    this.relays = relays;
  }

  /** {@code GET /api/v1/relays}. */
  void list(RoutingContext ctx) {
    JsonArray push = new JsonArray();
    relays.pushes().forEach(state -> push.add(json(state)));
    JsonArray pull = new JsonArray();
    relays.pullStates().forEach(state -> pull.add(json(state)));
    Replies.json(ctx, 200, new JsonObject().put("push", push).put("pull", pull));
  }

  private static JsonObject json(PullState state) {
    return new JsonObject()
        .put("stream", new JsonObject().put("app", state.app()).put("key", state.key()))
        .put("source", state.source())
        .put("onDemand", state.onDemand())
        .put("state", state.state())
        .put("messagesReceived", state.messagesReceived())
        .put("reconnects", state.reconnects())
        .put("lastError", state.lastError().isEmpty() ? null : state.lastError());
  }

  private static JsonObject json(PushState state) {
    return new JsonObject()
        .put("stream", new JsonObject().put("app", state.app()).put("key", state.key()))
        .put("target", state.target())
        .put("state", state.state())
        .put("connected", state.connected())
        .put("connectedAt", state.connectedAtMillis() == 0 ? null
            : Instant.ofEpochMilli(state.connectedAtMillis()).toString())
        .put("bytesSent", state.bytesSent())
        .put("reconnects", state.reconnects())
        .put("droppedFrames", state.droppedFrames())
        .put("lastError", state.lastError().isEmpty() ? null : state.lastError())
        .put("lastErrorAt", state.lastErrorAtMillis() == 0 ? null
            : Instant.ofEpochMilli(state.lastErrorAtMillis()).toString());
  }
}
