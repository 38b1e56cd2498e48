package dev.streamedge.transcode;

import dev.streamedge.stream.StreamKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The ladders of a cluster, so that an edge serves the master playlist of a stream transcoded on its
 * origin without pulling anything: every {@link #PERIOD_MILLIS} the origin writes each of its ladders'
 * measured variants to a cluster-wide map, with a time to live of {@link #TTL_MILLIS}, so that the
 * ladder of an origin that died leaves the map by itself. One small entry per transcoded stream, which
 * {@code transcode.max-processes} bounds on each node.
 */
final class LadderShare {

  static final long PERIOD_MILLIS = 2000;
  static final long TTL_MILLIS = 3 * PERIOD_MILLIS;
  private static final String MAP = "streamedge.transcode.ladders";

  /** One variant as the master playlist lists it; {@code name} "" for the source. */
  record Variant(String name, long bandwidth, long averageBandwidth, int width, int height, double fps,
      String codecs) {

    JsonObject toJson() {
      return new JsonObject().put("name", name).put("bandwidth", bandwidth).put("average", averageBandwidth)
          .put("width", width).put("height", height).put("fps", fps).put("codecs", codecs);
    }

    static Variant fromJson(JsonObject o) {
      return new Variant(o.getString("name", ""), o.getLong("bandwidth", 0L), o.getLong("average", 0L),
          o.getInteger("width", 0), o.getInteger("height", 0), o.getDouble("fps", 0.0), o.getString("codecs", ""));
    }
  }

  private final Vertx vertx;
  private final Future<AsyncMap<String, String>> map;

  LadderShare(Vertx vertx) {
    this.vertx = vertx;
    this.map = vertx.sharedData().getAsyncMap(MAP);
  }

  /** Writes what {@code ladders} gives now, every period, from start-up on. */
  void publishEvery(Supplier<List<Map.Entry<StreamKey, List<Variant>>>> ladders) {
    vertx.setPeriodic(PERIOD_MILLIS, id -> map.onSuccess(m -> {
      for (Map.Entry<StreamKey, List<Variant>> ladder : ladders.get()) {
        JsonArray variants = new JsonArray();
        ladder.getValue().forEach(v -> variants.add(v.toJson()));
        m.put(ladder.getKey().toString(), variants.encode(), TTL_MILLIS);
      }
    }));
  }

  /** The ladder of {@code key} as its origin last wrote it; empty when none is there. */
  Future<Optional<List<Variant>>> get(StreamKey key) {
    return map.compose(m -> m.get(key.toString())).map(json -> {
      if (json == null) {
        return Optional.<List<Variant>>empty();
      }
      List<Variant> variants = new ArrayList<>();
      new JsonArray(json).forEach(o -> variants.add(Variant.fromJson((JsonObject) o)));
      return Optional.of(variants);
    }).otherwise(Optional.empty());
  }
}
