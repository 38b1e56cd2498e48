package dev.streamedge.cluster.link;

import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamNames;
import dev.streamedge.stream.StreamRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node as the origin of its streams towards other nodes: takes their pull requests and
 * acknowledgements and keeps one {@link OriginLink} per pulling node and stream. All of it runs on
 * one context, the link context.
 */
public final class OriginLinks {

  private static final Logger LOG = LoggerFactory.getLogger(OriginLinks.class);
  static final int NOT_LIVE = 404;
  static final int BAD_REQUEST = 400;

  private final Context context;
  private final EventBus bus;
  private final StreamRegistry registry;
  private final String nodeId;
  private final long windowBytes;
  private final Map<String, OriginLink> links = new HashMap<>();

  /** @param windowBytes the most unacknowledged bytes per link this node allows, whatever an edge asks */
  public OriginLinks(Context context, EventBus bus, StreamRegistry registry, String nodeId, long windowBytes) {
    this.context = context;
    this.bus = bus;
    this.registry = registry;
    this.nodeId = nodeId;
    this.windowBytes = windowBytes;
  }

  /** Registers this node's origin address. */
  public Future<Void> start() {
    Promise<Void> registered = Promise.promise();
    context.runOnContext(v -> bus.<JsonObject>consumer(LinkAddresses.origin(nodeId), this::onMessage)
        .completion().onComplete(registered));
    return registered.future();
  }

  /** A member left the cluster: whatever this node sent it is dropped. Any thread. */
  public void edgeLeft(String edge) {
    context.runOnContext(v -> links.values().removeIf(link -> {
      if (link.edge().equals(edge)) {
        stop(link, "edge left the cluster");
        return true;
      }
      return false;
    }));
  }

  private void onMessage(Message<JsonObject> message) {
    JsonObject body = message.body();
    String op = body.getString(LinkAddresses.OP, "");
    String id = body.getString("edge") + "/" + body.getLong("link");
    switch (op) {
      case LinkAddresses.PULL -> pull(message, body, id);
      case LinkAddresses.ACK -> {
        OriginLink link = links.get(id);
        if (link != null) {
          link.acknowledged(body.getLong("bytes", 0L));
        }
      }
      case LinkAddresses.STOP -> {
        OriginLink link = links.remove(id);
        if (link != null) {
          stop(link, "edge stopped pulling");
        }
      }
      default -> LOG.warn("link message with op {} ignored", op);
    }
  }

  private void pull(Message<JsonObject> message, JsonObject body, String id) {
    String app = body.getString("app");
    String name = body.getString("key");
    if (app == null || name == null || !StreamNames.valid(app) || !StreamNames.valid(name)
        || body.getLong("link") == null || body.getString("edge") == null || links.containsKey(id)) {
      message.fail(BAD_REQUEST, "bad pull request " + body.encode());
      return;
    }
    StreamKey key = new StreamKey(app, name);
    if (!registry.isLive(key)) {
      message.fail(NOT_LIVE, key + " is not published on node " + nodeId);
      return;
    }
    long window = Math.min(windowBytes, Math.max(1, body.getLong("window", windowBytes)));
    OriginLink link = new OriginLink(context, bus, body.getString("edge"), body.getLong("link"), key, window);
    links.put(id, link);
    message.reply(new JsonObject().put("window", window));
    link.start(registry.subscribe(key, link));
    LOG.info("link start stream={} edge={} link={} window={}", key, link.edge(), body.getLong("link"), window);
  }

  private static void stop(OriginLink link, String reason) {
    link.close();
    LOG.info("link stop stream={} edge={} reason={} sent={} skipped={}", link.key(), link.edge(), reason,
        link.sentBytes(), link.skipped());
  }
}
