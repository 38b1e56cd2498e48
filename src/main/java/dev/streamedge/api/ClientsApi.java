package dev.streamedge.api;

import dev.streamedge.session.ClientInfo;
import dev.streamedge.session.ClientRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /api/v1/clients}: who is connected to this node, and kicking one. */
final class ClientsApi {

  private static final Logger LOG = LoggerFactory.getLogger(ClientsApi.class);

  private final ClientRegistry clients;

  ClientsApi(ClientRegistry clients) {
    this.clients = clients;
  }

  /** {@code GET /api/v1/clients}. */
  void list(RoutingContext ctx) {
    Replies.when(ctx, body(), body -> Replies.json(ctx, 200, body));
  }

  /** The body of the list. */
  Future<JsonObject> body() {
    return clients.infos().map(infos -> {
      JsonArray list = new JsonArray();
      infos.forEach(info -> list.add(json(info)));
      return new JsonObject().put("clients", list);
    });
  }

  /** {@code DELETE /api/v1/clients/{id}}: disconnects the client, on its own context. */
  void kick(RoutingContext ctx) {
    String text = ctx.pathParam("id");
    long id = text.matches("[0-9]{1,18}") ? Long.parseLong(text) : -1;
    if (id < 0 || !clients.kick(id, "kicked through the API")) {
      Replies.error(ctx, 404, "no client " + (id < 0 ? "with that id" : id) + " on this node");
      return;
    }
    LOG.info("api: kick client {} asked by {}", id, ctx.request().remoteAddress());
    Replies.noContent(ctx);
  }

  private static JsonObject json(ClientInfo info) {
    return new JsonObject()
        .put("id", info.id())
        .put("protocol", info.protocol())
        .put("role", info.role().label())
        .put("address", info.address())
        .put("stream", info.stream() == null ? null
            : new JsonObject().put("app", info.stream().app()).put("key", info.stream().name()))
        .put("connectedAt", Instant.ofEpochMilli(info.connectedAtMillis()).toString())
        .put("bytesIn", info.bytesIn())
        .put("bytesOut", info.bytesOut())
        .put("flashVersion", info.flashVersion().isEmpty() ? null : info.flashVersion())
        .put("droppedFrames", info.droppedFrames());
  }
}
