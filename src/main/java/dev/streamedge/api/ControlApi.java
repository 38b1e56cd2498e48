package dev.streamedge.api;

import dev.streamedge.session.ClientInfo;
import dev.streamedge.session.ClientRegistry;
import dev.streamedge.session.ClientRole;
import dev.streamedge.stream.StreamNames;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nginx-rtmp's control module's drops, for scripts written against it:
 * {@code GET /control/drop/publisher}, {@code /control/drop/subscriber} and {@code /control/drop/client},
 * with its arguments {@code app}, {@code name}, {@code addr} (the client's IP) and {@code clientid} (the id
 * of {@code /stat} and the API), each narrowing the choice; none given drops every one of the kind. The
 * answer is nginx-rtmp's: 200 with the number of clients dropped, {@code 0} when none matched.
 */
final class ControlApi {

  private static final Logger LOG = LoggerFactory.getLogger(ControlApi.class);

  private final ClientRegistry clients;

  ControlApi(ClientRegistry clients) {
    this.clients = clients;
  }

  void drop(RoutingContext ctx) {
    // A GET that drops clients is what scripts send; a browser sends one too for an <img> on any web page,
    // with Sec-Fetch-Site saying so (Fetch Metadata): only a request from this origin or typed in is taken.
    String site = ctx.request().getHeader("Sec-Fetch-Site");
    if (site != null && !site.equals("same-origin") && !site.equals("none")) {
      text(ctx, 403, "a drop is not taken from another site's page\n");
      return;
    }
    String kind = ctx.pathParam("kind");
    Predicate<ClientRole> roles = switch (kind) {
      case "publisher" -> role -> role == ClientRole.PUBLISHER;
      case "subscriber" -> role -> role == ClientRole.PLAYER;
      case "client" -> role -> role != ClientRole.IDLE;
      default -> null;
    };
    if (roles == null) {
      text(ctx, 404, "no such drop: publisher, subscriber or client\n");
      return;
    }
    String app;
    String name;
    String addr;
    String clientId;
    try {
      app = ctx.request().getParam("app");
      name = ctx.request().getParam("name");
      addr = ctx.request().getParam("addr");
      clientId = ctx.request().getParam("clientid");
    } catch (IllegalArgumentException e) {
      // A broken %-escape: Vert.x decodes the query when it is first read.
      text(ctx, 400, "malformed query\n");
      return;
    }
    if (app != null && !StreamNames.valid(app) || name != null && !StreamNames.valid(name)) {
      text(ctx, 400, "app and name are 1 to 128 characters A-Z a-z 0-9 . _ ~ -\n");
      return;
    }
    if (clientId != null && !clientId.matches("[0-9]{1,18}")) {
      text(ctx, 400, "clientid is a client's id: digits\n");
      return;
    }
    if (addr != null && addr.length() > 64) {
      text(ctx, 400, "addr is an IP address\n");
      return;
    }
    long id = clientId == null ? -1 : Long.parseLong(clientId);
    Predicate<ClientInfo> chosen = client -> client.stream() != null && roles.test(client.role())
        && (app == null || app.equals(client.stream().app()))
        && (name == null || name.equals(client.stream().name()))
        && (addr == null || addr.equals(NginxStat.host(client.address())))
        && (id < 0 || id == client.id());
    Replies.when(ctx, clients.infos(), all -> {
      int dropped = 0;
      for (ClientInfo client : all) {
        if (chosen.test(client) && clients.kick(client.id(), "dropped through /control/drop/" + kind)) {
          dropped++;
          LOG.info("control: drop {} {} stream={} asked by {}", client.role().label(), client.address(),
              client.stream(), ctx.request().remoteAddress());
        }
      }
      text(ctx, 200, Integer.toString(dropped));
    });
  }

  private static void text(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "text/plain")
        .putHeader("Cache-Control", "no-store")
        .end(body);
  }
}
