package dev.streamedge.cluster;

import dev.streamedge.testing.Http;
import dev.streamedge.testing.NodeProcess;
import dev.streamedge.testing.Prometheus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the faults tests read from their nodes: the stream directory through the API, and the heap
 * through the metrics after a full collection. The nodes run on simulated hosts, not on loopback, so
 * the API wants its token ({@link #API_OPTION}).
 */
final class FaultChecks {

  static final String API_TOKEN = "faults-tier-api-token-0123456789";
  /** The node option that sets the API token, for the nodes of the faults tests. */
  static final String API_OPTION = "--api.token=" + API_TOKEN;

  private FaultChecks() {
  }

  /** {@code GET /api/v1/streams} of {@code node}. */
  static JsonObject streams(NodeProcess node) throws Exception {
    HttpResponse<String> response = Http.get(node.httpUrl("/api/v1/streams"), "Authorization", "Bearer " + API_TOKEN);
    if (response.statusCode() != 200) {
      throw new AssertionError(node.name() + " /api/v1/streams answered " + response.statusCode() + ": "
          + response.body());
    }
    return new JsonObject(response.body());
  }

  /** The origins the directory of {@code node} names for {@code live/<key>}: one when it is consistent. */
  static List<String> directoryOrigins(NodeProcess node, String key) throws Exception {
    List<String> origins = new ArrayList<>();
    JsonArray cluster = streams(node).getJsonArray("cluster", new JsonArray());
    for (int i = 0; i < cluster.size(); i++) {
      JsonObject entry = cluster.getJsonObject(i);
      if ("live".equals(entry.getString("app")) && key.equals(entry.getString("key"))) {
        origins.add(entry.getString("origin"));
      }
    }
    return origins;
  }

  /** The nodes that have a publisher of {@code live/<key>} connected: its origins as the nodes see it. */
  static List<String> publishingNodes(String key, NodeProcess... nodes) throws Exception {
    List<String> publishing = new ArrayList<>();
    for (NodeProcess node : nodes) {
      JsonArray streams = streams(node).getJsonArray("streams", new JsonArray());
      for (int i = 0; i < streams.size(); i++) {
        JsonObject stream = streams.getJsonObject(i);
        if (key.equals(stream.getString("key")) && stream.getBoolean("live", false)
            && !stream.getBoolean("relayed", false)) {
          publishing.add(node.name());
        }
      }
    }
    return publishing;
  }

  /** Bytes of heap in use right after a full collection ({@code jcmd <pid> GC.run}): the live data. */
  static long heapAfterGc(NodeProcess node) throws Exception {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    Process gc = new ProcessBuilder(jcmd, Long.toString(node.pid()), "GC.run").redirectErrorStream(true).start();
    gc.getInputStream().readAllBytes();
    if (!gc.waitFor(20, TimeUnit.SECONDS) || gc.exitValue() != 0) {
      throw new AssertionError("jcmd " + node.pid() + " GC.run failed");
    }
    Prometheus metrics = Prometheus.scrape(node.httpUrl("/metrics"));
    long used = 0;
    for (Map<String, String> labels : metrics.labelSets("jvm_memory_used_bytes")) {
      if ("heap".equals(labels.get("area"))) {
        used += (long) metrics.value("jvm_memory_used_bytes", flatten(labels));
      }
    }
    return used;
  }

  private static String[] flatten(Map<String, String> labels) {
    List<String> flat = new ArrayList<>();
    labels.forEach((name, value) -> {
      flat.add(name);
      flat.add(value);
    });
    return flat.toArray(String[]::new);
  }
}
