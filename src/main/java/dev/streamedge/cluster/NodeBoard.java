package dev.streamedge.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each node of the cluster says of itself, for the dashboards: its role, its load, the streams it
 * publishes and those it pulls, its players. Every node writes its own entry every {@value #PERIOD_MS} ms
 * with a time to live of three periods, so a node that died or hung leaves the board by itself; every node
 * keeps a copy from the map's entry events. One small entry per node: bounded by the cluster's size.
 */
public final class NodeBoard {

  static final String MAP_NAME = "streamedge.nodes";
  private static final long PERIOD_MS = 2000;
  private static final long TTL_MS = 3 * PERIOD_MS;
  private static final Logger LOG = LoggerFactory.getLogger(NodeBoard.class);

  private final Vertx vertx;
  private final String nodeId;
  private final IMap<String, String> map;
  // Map calls block: they run here, off the event loops.
  private final WorkerExecutor worker;
  private final ConcurrentHashMap<String, JsonObject> nodes = new ConcurrentHashMap<>();

  public NodeBoard(Vertx vertx, HazelcastClusterManager manager) {
    this.vertx = vertx;
    this.nodeId = manager.getNodeId();
    HazelcastInstance hazelcast = manager.getHazelcastInstance();
    this.map = hazelcast.getMap(MAP_NAME);
    this.worker = vertx.createSharedWorkerExecutor("streamedge-nodes", 1);
  }

  /** Starts writing this node's {@code summary} (asked for on a Vert.x context) and copying the others'. */
  public void start(Supplier<Future<JsonObject>> summary) {
    map.addEntryListener(new Events(), true);
    worker.executeBlocking(() -> {
      map.forEach((id, json) -> nodes.put(id, new JsonObject(json)));
      return null;
    }, false);
    vertx.getOrCreateContext().runOnContext(v -> vertx.setPeriodic(1, PERIOD_MS, id -> summary.get()
        .onSuccess(json -> worker.executeBlocking(() -> map.put(nodeId, json.put("id", nodeId).encode(), TTL_MS,
            TimeUnit.MILLISECONDS), false))
        .onFailure(e -> LOG.warn("node board: no summary: {}", e.toString()))));
  }

  /** Every node's latest summary, this node's first, then by id; callable from any thread. */
  public List<JsonObject> nodes() {
    return nodes.values().stream()
        .sorted(Comparator.comparing((JsonObject n) -> !nodeId.equals(n.getString("id")))
            .thenComparing(n -> n.getString("id", "")))
        .toList();
  }

  /** Keeps {@link #nodes} equal to the map. */
  private final class Events implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String>,
      EntryRemovedListener<String, String>, EntryEvictedListener<String, String>,
      EntryExpiredListener<String, String> {

    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      nodes.put(event.getKey(), new JsonObject(event.getValue()));
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      nodes.put(event.getKey(), new JsonObject(event.getValue()));
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
      nodes.remove(event.getKey());
    }

    @Override
    public void entryEvicted(EntryEvent<String, String> event) {
      nodes.remove(event.getKey());
    }

    @Override
    public void entryExpired(EntryEvent<String, String> event) {
      nodes.remove(event.getKey());
    }
  }
}
