package dev.streamedge.ui;

import dev.streamedge.api.Api;
import dev.streamedge.config.UiConfig;
import dev.streamedge.ops.NodeLoad;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The dashboards' live feed: server-sent events (HTML Living Standard §9.2), one snapshot every
 * {@code ui.push-interval} of the node's streams (the API's list, with codecs, rates and viewers per
 * protocol), clients and load, built once per tick whatever the number of dashboards and written to each.
 * A page never polls. At most {@code ui.max-subscribers} dashboards are fed at once (503 past them); a
 * dashboard whose connection is still full from the last snapshot skips this one, so a stalled page holds
 * at most one snapshot's bytes. No snapshot is built while no dashboard is open.
 */
final class DashboardFeed {

  private record Subscriber(Context context, HttpServerResponse response) {
  }

  /** Streams with the most viewers, over all protocols, first. */
  private static final Comparator<JsonObject> BUSIEST = Comparator.comparingInt((JsonObject stream) -> {
    int viewers = 0;
    for (Object count : stream.getJsonObject("viewers").getMap().values()) {
      viewers += count instanceof Number n ? n.intValue() : 0;
    }
    return viewers;
  }).reversed();
  /** Publishers, then the others, by id. */
  private static final Comparator<JsonObject> PUBLISHERS_FIRST =
      Comparator.comparing((JsonObject client) -> !"publisher".equals(client.getString("role")))
          .thenComparingLong(client -> client.getLong("id"));

  private final Vertx vertx;
  private final Api api;
  private final Supplier<List<JsonObject>> clusterNodes;
  private final int maxSubscribers;
  private final int maxStreams;
  private final int maxClients;
  private final long intervalMs;
  private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
  private final AtomicInteger count = new AtomicInteger();
  /** A snapshot is being built: the next tick skips rather than pile up. On the feed's context only. */
  private boolean building;

  DashboardFeed(Vertx vertx, UiConfig config, Api api, Supplier<List<JsonObject>> clusterNodes) {
    this.vertx = vertx;
    this.api = api;
    this.clusterNodes = clusterNodes;
    this.maxSubscribers = config.maxSubscribers();
    this.maxStreams = config.maxStreams();
    this.maxClients = config.maxClients();
    this.intervalMs = config.pushInterval().toMillis();
  }

  void start() {
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> vertx.setPeriodic(intervalMs, id -> tick()));
  }

  /** {@code GET /ui/events}: a dashboard's feed, until it closes. */
  void subscribe(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    if (count.incrementAndGet() > maxSubscribers) {
      count.decrementAndGet();
      response.setStatusCode(503).putHeader("Retry-After", "10").end("too many dashboards open (ui.max-subscribers)");
      return;
    }
    Subscriber subscriber = new Subscriber(Vertx.currentContext(), response);
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Accel-Buffering", "no");
    // The retry field: a page that lost its feed reconnects after this long (its EventSource does so itself).
    response.write("retry: 2000\n\n");
    subscribers.add(subscriber);
    response.closeHandler(v -> remove(subscriber));
    response.exceptionHandler(e -> remove(subscriber));
  }

  private void remove(Subscriber subscriber) {
    if (subscribers.remove(subscriber)) {
      count.decrementAndGet();
    }
  }

  private void tick() {
    if (subscribers.isEmpty() || building) {
      return;
    }
    building = true;
    Context feedContext = Vertx.currentContext();
    Future<JsonObject> load = vertx.executeBlocking(this::load, false);
    Future.all(api.streams(), api.clients(), load).onComplete(done -> feedContext.runOnContext(v -> {
      building = false;
      if (done.failed()) {
        return;
      }
      JsonObject streams = done.result().resultAt(0);
      JsonArray clients = done.result().<JsonObject>resultAt(1).getJsonArray("clients");
      JsonObject snapshot = new JsonObject()
          .put("time", System.currentTimeMillis())
          .put("interval", intervalMs)
          .put("load", done.result().<JsonObject>resultAt(2))
          .mergeIn(streams)
          .put("streamsTotal", streams.getJsonArray("streams").size())
          .put("streams", first(streams.getJsonArray("streams"), maxStreams, BUSIEST))
          .put("clientsTotal", clients.size())
          .put("clients", first(clients, maxClients, PUBLISHERS_FIRST))
          .put("transcoders", api.transcoders().getJsonArray("transcoders"))
          .put("nodes", new JsonArray(List.copyOf(clusterNodes.get())));
      Buffer event = Buffer.buffer("data: " + snapshot.encode() + "\n\n");
      for (Subscriber subscriber : subscribers) {
        subscriber.context().runOnContext(w -> {
          if (!subscriber.response().closed() && !subscriber.response().writeQueueFull()) {
            subscriber.response().write(event);
          }
        });
      }
    }));
  }

  /** The first {@code max} items of {@code list} in {@code order}, or all of them, in their own order, when they fit. */
  private static JsonArray first(JsonArray list, int max, Comparator<JsonObject> order) {
    if (list.size() <= max) {
      return list;
    }
    List<JsonObject> items = new ArrayList<>(list.size());
    list.forEach(item -> items.add((JsonObject) item));
    items.sort(order);
    return new JsonArray(new ArrayList<>(items.subList(0, max)));
  }

  /** The node's load: CPU, heap and uptime. Reads /proc, so on a worker thread. */
  private JsonObject load() {
    return NodeLoad.now().put("dashboards", count.get());
  }
}
