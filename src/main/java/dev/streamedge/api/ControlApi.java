package dev.streamedge.api;

import dev.streamedge.record.RecordService;
import dev.streamedge.session.ClientInfo;
import dev.streamedge.session.ClientRegistry;
import dev.streamedge.session.ClientRole;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamNames;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nginx-rtmp's control module, for scripts written against it: its drops,
 * {@code GET /control/drop/publisher}, {@code /control/drop/subscriber} and {@code /control/drop/client},
 * with its arguments {@code app}, {@code name}, {@code addr} (the client's IP) and {@code clientid} (the id
 * of {@code /stat} and the API), each narrowing the choice; none given drops every one of the kind. The
 * answer is nginx-rtmp's: 200 with the number of clients dropped, {@code 0} when none matched. And its
 * recorder's start and stop ({@link #record}), and its redirect of players ({@link #redirect}).
 */
final class ControlApi {

  private static final Logger LOG = LoggerFactory.getLogger(ControlApi.class);
  private static final long RECORD_ANSWER_MS = 5_000;

  private final ClientRegistry clients;
  private final RecordService record;

  ControlApi(ClientRegistry clients, RecordService record) {
    this.clients = clients;
    this.record = record;
  }

  /**
   * {@code /control/record/start} and {@code /control/record/stop} with {@code app} and {@code name}: records
   * a live stream of this node (whether its app is in {@code record.apps} or not) or stops its recording, as
   * nginx-rtmp's {@code record_control} does for a recorder. The answer is nginx-rtmp's: 200 with the path of
   * the file started or stopped, empty when it was recording already or was not; 400 with the reason
   * ({@code No publisher}). nginx-rtmp's {@code rec} (which of its recorders) is not needed: a stream has one
   * recording here.
   */
  void record(RoutingContext ctx) {
    if (!fromThisSite(ctx)) {
      return;
    }
    String method = ctx.pathParam("method");
    if (!method.equals("start") && !method.equals("stop")) {
      text(ctx, 404, "no such record control: start or stop\n");
      return;
    }
    // A query with a broken %-escape never gets here (http.MalformedQueries answers it).
    String app = ctx.request().getParam("app");
    String name = ctx.request().getParam("name");
    if (app == null || name == null || !StreamNames.valid(app) || !StreamNames.valid(name)) {
      text(ctx, 400, "app and name name the stream: 1 to 128 characters A-Z a-z 0-9 . _ ~ -\n");
      return;
    }
    StreamKey key = new StreamKey(app, name);
    Future<Optional<Path>> done = method.equals("start") ? record.startRecording(key)
        : record.stopRecording(key, "stopped through /control/record/stop");
    // A start answers once its first file is open, after the stream's next packet: a publisher that sends
    // nothing must not hold the request. The recording goes on either way.
    Promise<Optional<Path>> answer = Promise.promise();
    long timer = ctx.vertx().setTimer(RECORD_ANSWER_MS, id -> answer.tryFail("Recorder error: no media within "
        + RECORD_ANSWER_MS / 1000 + " s"));
    done.onComplete(result -> {
      if (result.succeeded()) {
        answer.tryComplete(result.result());
      } else {
        answer.tryFail(result.cause());
      }
    });
    Context context = Vertx.currentContext();
    answer.future().onComplete(result -> context.runOnContext(v -> {
      ctx.vertx().cancelTimer(timer);
      if (result.failed()) {
        text(ctx, 400, result.cause().getMessage());
        return;
      }
      LOG.info("control: record {} stream={} file={} asked by {}", method, key,
          result.result().map(Path::toString).orElse("(none)"), ctx.request().remoteAddress());
      text(ctx, 200, result.result().map(path -> path.toAbsolutePath().toString()).orElse(""));
    }));
  }

  void drop(RoutingContext ctx) {
    if (!fromThisSite(ctx)) {
      return;
    }
    String kind = ctx.pathParam("kind");
    Predicate<ClientInfo> chosen = chosen(ctx, "drop");
    if (chosen == null) {
      return;
    }
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

  /**
   * nginx-rtmp's {@code /control/redirect/publisher}, {@code subscriber} and {@code client}: each RTMP
   * publisher or player chosen by {@code app}, {@code name}, {@code addr} and {@code clientid}, as a drop
   * chooses, publishes or plays {@code newname} of its app instead, on the same connection. The answer is
   * the number moved. HTTP players are not moved (an FLV body cannot start over).
   */
  void redirect(RoutingContext ctx) {
    if (!fromThisSite(ctx)) {
      return;
    }
    String newName = ctx.request().getParam("newname");
    if (newName == null || !StreamNames.valid(newName)) {
      text(ctx, 400, "newname not specified: 1 to 128 characters A-Z a-z 0-9 . _ ~ -\n");
      return;
    }
    Predicate<ClientInfo> chosen = chosen(ctx, "redirect");
    if (chosen == null) {
      return;
    }
    Replies.when(ctx, clients.infos(), all -> {
      int moved = 0;
      for (ClientInfo client : all) {
        if (chosen.test(client) && clients.redirect(client.id(), newName)) {
          moved++;
          LOG.info("control: redirect {} {} stream={} to {} asked by {}", client.role().label(), client.address(),
              client.stream(), newName, ctx.request().remoteAddress());
        }
      }
      text(ctx, 200, Integer.toString(moved));
    });
  }

  /**
   * The clients a drop or redirect names by its path's kind and its arguments; null, with the answer sent,
   * when they are malformed.
   */
  private static Predicate<ClientInfo> chosen(RoutingContext ctx, String control) {
    String kind = ctx.pathParam("kind");
    Predicate<ClientRole> roles = switch (kind) {
      case "publisher" -> role -> role == ClientRole.PUBLISHER;
      case "subscriber" -> role -> role == ClientRole.PLAYER;
      case "client" -> role -> role != ClientRole.IDLE;
      default -> null;
    };
    if (roles == null) {
      text(ctx, 404, "no such " + control + ": publisher, subscriber or client\n");
      return null;
    }
    String app = ctx.request().getParam("app");
    String name = ctx.request().getParam("name");
    String addr = ctx.request().getParam("addr");
    String clientId = ctx.request().getParam("clientid");
    if (app != null && !StreamNames.valid(app) || name != null && !StreamNames.valid(name)) {
      text(ctx, 400, "app and name are 1 to 128 characters A-Z a-z 0-9 . _ ~ -\n");
      return null;
    }
    if (clientId != null && !clientId.matches("[0-9]{1,18}")) {
      text(ctx, 400, "clientid is a client's id: digits\n");
      return null;
    }
    if (addr != null && addr.length() > 64) {
      text(ctx, 400, "addr is an IP address\n");
      return null;
    }
    long id = clientId == null ? -1 : Long.parseLong(clientId);
    return client -> client.stream() != null && roles.test(client.role())
        && (app == null || app.equals(client.stream().app()))
        && (name == null || name.equals(client.stream().name()))
        && (addr == null || addr.equals(NginxStat.host(client.address())))
        && (id < 0 || id == client.id());
  }

  /**
   * A GET that changes something is what scripts send; a browser sends one too for an {@code <img>} on any
   * web page, with {@code Sec-Fetch-Site} saying so (Fetch Metadata): only a request from this origin or typed
   * in is taken. Answers 403 to the others.
   */
  private static boolean fromThisSite(RoutingContext ctx) {
    String site = ctx.request().getHeader("Sec-Fetch-Site");
    if (site != null && !site.equals("same-origin") && !site.equals("none")) {
      text(ctx, 403, "a control is not taken from another site's page\n");
      return false;
    }
    return true;
  }

  private static void text(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "text/plain")
        .putHeader("Cache-Control", "no-store")
        .end(body);
  }
}
