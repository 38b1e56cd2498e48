package dev.streamedge.relay;

import dev.streamedge.testing.Http;
import dev.streamedge.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the push relay tests read from a node's {@code /api/v1/relays}. */
final class PushRelays {

  private PushRelays() {
  }

  /** The push of {@code key} (app live) to {@code target}, as the API shows it now. */
  static Optional<JsonObject> push(TestNode node, String key, String target) throws Exception {
    for (JsonObject push : pushes(node)) {
      if (push.getJsonObject("stream").getString("key").equals(key) && push.getString("target").equals(target)) {
        return Optional.of(push);
      }
    }
    return Optional.empty();
  }

  static List<JsonObject> pushes(TestNode node) throws Exception {
    JsonArray list = new JsonObject(Http.get(node.httpUrl("/api/v1/relays")).body()).getJsonArray("push");
    List<JsonObject> pushes = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      pushes.add(list.getJsonObject(i));
    }
    return pushes;
  }

  static boolean connected(TestNode node, String key, String target) throws Exception {
    return push(node, key, target).map(p -> p.getBoolean("connected")).orElse(false);
  }

  static long reconnects(TestNode node, String key, String target) throws Exception {
    return push(node, key, target).map(p -> p.getLong("reconnects")).orElse(0L);
  }

  /** {@code list} {@code times} times over: what a looping publisher sends. */
  static List<String> repeated(List<String> list, int times) {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      all.addAll(list);
    }
    return all;
  }
}
