package dev.streamedge.api;

import dev.streamedge.cluster.DirectoryEntry;
import dev.streamedge.cluster.StreamDirectory;
import dev.streamedge.session.HlsSessions;
import dev.streamedge.session.SegmentSessions;
import dev.streamedge.session.Protocol;
import dev.streamedge.stream.StreamInfo;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamNames;
import dev.streamedge.stream.StreamRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/streams}: what is live on this node, measured on each stream's home context, and in a
 * cluster where else, from this node's copy of the stream directory.
 */
final class StreamsApi {

  private static final Logger LOG = LoggerFactory.getLogger(StreamsApi.class);
  private static final Comparator<StreamKey> BY_NAME =
      Comparator.comparing(StreamKey::app).thenComparing(StreamKey::name);

  private final StreamRegistry registry;
  private final Optional<StreamDirectory> directory;
  private final SegmentSessions hlsSessions;

  StreamsApi(StreamRegistry registry, Optional<StreamDirectory> directory, SegmentSessions hlsSessions) {
    this.registry = registry;
    this.directory = directory;
    this.hlsSessions = hlsSessions;
  }

  /** {@code GET /api/v1/streams}. */
  void list(RoutingContext ctx) {
    Replies.when(ctx, body(), body -> Replies.json(ctx, 200, body));
  }

  /** The body of the list. */
  Future<JsonObject> body() {
    return registry.infos().map(infos -> {
      JsonArray streams = new JsonArray();
      infos.stream().sorted(Comparator.comparing(StreamInfo::key, BY_NAME)).forEach(info -> streams.add(json(info)));
      JsonObject body = new JsonObject().put("node", nodeId()).put("streams", streams);
      directory.ifPresent(cluster -> {
        JsonArray entries = new JsonArray();
        cluster.entries().stream()
            .sorted(Comparator.comparing(entry -> new StreamKey(entry.app(), entry.key()), BY_NAME))
            .forEach(entry -> entries.add(json(entry, cluster.nodeId())));
        body.put("cluster", entries);
      });
      return body;
    });
  }

  /** {@code GET /api/v1/streams/{app}/{key}}. */
  void get(RoutingContext ctx) {
    StreamKey key = keyOf(ctx);
    if (key == null) {
      return;
    }
    Replies.when(ctx, registry.info(key), info -> {
      if (info.isPresent()) {
        Replies.json(ctx, 200, json(info.get()));
      } else {
        notHere(ctx, key);
      }
    });
  }

  /**
   * {@code DELETE /api/v1/streams/{app}/{key}}: disconnects the stream's publisher on this node. A
   * stream relayed from another node is stopped on its origin, not here: a kick here would only make
   * this node pull it again.
   */
  void stop(RoutingContext ctx) {
    StreamKey key = keyOf(ctx);
    if (key == null) {
      return;
    }
    Replies.when(ctx, registry.info(key), info -> {
      if (info.isEmpty() || info.get().publisher() == null) {
        notHere(ctx, key);
      } else if (info.get().relayed()) {
        String origin = originOf(key);
        Replies.json(ctx, 409, new JsonObject()
            .put("error", key + " is relayed from node " + origin + ": stop it there")
            .put("origin", origin));
      } else {
        LOG.info("api: stop stream={} publisher={} asked by {}", key, info.get().publisher(),
            ctx.request().remoteAddress());
        registry.kickPublisher(key, "stream stopped through the API");
        Replies.noContent(ctx);
      }
    });
  }

  private void notHere(RoutingContext ctx, StreamKey key) {
    JsonObject body = new JsonObject().put("error", key + " is not published on this node");
    String origin = originOf(key);
    if (origin != null) {
      body.put("origin", origin);
    }
    Replies.json(ctx, 404, body);
  }

  private JsonObject json(StreamInfo info) {
    boolean live = info.publisher() != null;
    DirectoryEntry entry = directory.map(cluster -> cluster.entryOf(info.key())).orElse(null);
    // A relay's own publisher is the link from the origin: the directory knows the real one.
    boolean fromDirectory = info.relayed() && entry != null;
    String origin = !live ? null : info.relayed() ? originOf(info.key()) : nodeId();
    String publisher = fromDirectory ? entry.publisherAddress() : info.publisher();
    long publishedAt = fromDirectory ? entry.publishedAtMillis() : info.publishedAtMillis();
    JsonObject json = new JsonObject()
        .put("app", info.key().app())
        .put("key", info.key().name())
        .put("live", live)
        .put("relayed", info.relayed())
        .put("origin", origin)
        .put("publisher", live ? publisher : null)
        .put("publishedAt", live ? Instant.ofEpochMilli(publishedAt).toString() : null)
        .put("uptimeSeconds", live ? Math.max(0, System.currentTimeMillis() - publishedAt) / 1000.0 : null);
    StreamInfo.Codecs codecs = info.codecs();
    StreamInfo.Rates rates = info.rates();
    JsonObject video = null;
    if (!codecs.video().isEmpty() || rates.fps() > 0) {
      video = new JsonObject()
          .put("codec", codecs.video().isEmpty() ? null : codecs.video())
          .put("width", codecs.width() == 0 ? null : codecs.width())
          .put("height", codecs.height() == 0 ? null : codecs.height())
          .put("fps", Math.round(rates.fps() * 100) / 100.0);
    }
    json.put("video", video)
        .put("audio", codecs.audio().isEmpty() ? null : new JsonObject().put("codec", codecs.audio()))
        .put("bitrate", rates.bitsPerSecond())
        .put("measuredSeconds", rates.seconds());
    JsonObject viewers = new JsonObject();
    for (Protocol protocol : Protocol.values()) {
      // HLS and DASH viewers are sessions (HlsSessions); null says "not counted" when hls-sessions.enabled is false.
      HlsSessions sessions = hlsSessions.of(protocol);
      if (sessions != null) {
        viewers.put(protocol.label(), sessions.enabled() ? sessions.count(info.key()) : null);
      } else {
        viewers.put(protocol.label(), info.viewers().getOrDefault(protocol.label(), 0));
      }
    }
    return json.put("viewers", viewers);
  }

  private static JsonObject json(DirectoryEntry entry, String thisNode) {
    return new JsonObject()
        .put("app", entry.app())
        .put("key", entry.key())
        .put("origin", entry.nodeId())
        .put("thisNode", entry.nodeId().equals(thisNode))
        .put("publisher", entry.publisherAddress())
        .put("publishedAt", Instant.ofEpochMilli(entry.publishedAtMillis()).toString())
        .put("video", entry.video().isEmpty() ? null : entry.video())
        .put("audio", entry.audio().isEmpty() ? null : entry.audio());
  }

  /** This node's cluster id, or null on a single node. */
  private String nodeId() {
    return directory.map(StreamDirectory::nodeId).orElse(null);
  }

  private String originOf(StreamKey key) {
    return directory.map(cluster -> cluster.originOf(key)).orElse(null);
  }

  /** The stream the path names, or null after answering 400 for a name that cannot be a stream. */
  static StreamKey keyOf(RoutingContext ctx) {
    String app = ctx.pathParam("app");
    String name = ctx.pathParam("key");
    if (!StreamNames.valid(app) || !StreamNames.valid(name)) {
      Replies.error(ctx, 400, "not a stream name: app and key are 1 to 128 characters A-Z a-z 0-9 . _ ~ -");
      return null;
    }
    return new StreamKey(app, name);
  }
}
