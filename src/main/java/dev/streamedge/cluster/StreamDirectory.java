package dev.streamedge.cluster;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleService;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.streamedge.stream.PublishGate;
import dev.streamedge.stream.PublishPolicy;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster-wide record of which node is the origin of which stream, a Hazelcast map from
 * {@code app/key} to a {@link DirectoryEntry}. Every publish claims its key here first, with atomic
 * put-if-absent and compare-and-replace, so the publish policy holds across nodes: two nodes never
 * both publish one key. Entries of a node that leaves the cluster are removed by the nodes that see it
 * go, and entries of a node that is no member any more are overwritten, so a dead node holds no key.
 */
public final class StreamDirectory implements PublishGate {

  static final String MAP_NAME = "streamedge.directory";
  private static final String TAKEOVER_ADDRESS = "streamedge.directory.takeover.";
  /** The member attribute in which vertx-hazelcast keeps the Vert.x node id. */
  private static final String VERTX_NODE_ID = "__vertx.nodeId";
  private static final Logger LOG = LoggerFactory.getLogger(StreamDirectory.class);
  // Each attempt loses only if another node changed the entry in between; this many is a bug.
  private static final int MAX_ATTEMPTS = 16;

  private final Vertx vertx;
  private final Cluster cluster;
  private final PublishPolicy policy;
  private final String nodeId;
  private final IMap<String, String> map;
  private final LifecycleService lifecycle;
  // Map calls block; they run here, off the event loops. One thread keeps this node's claims and
  // releases in the order they were asked for, so a release never overtakes the next claim.
  private final WorkerExecutor worker;
  /**
   * This node's copy of the directory, kept by the map's entry events: what a request must know at
   * once (is this stream live anywhere?) is read here without a remote call.
   */
  private final ConcurrentHashMap<StreamKey, DirectoryEntry> origins = new ConcurrentHashMap<>();
  private volatile BiConsumer<StreamKey, String> originListener = (key, node) -> { };
  private volatile Consumer<String> memberLeftListener = node -> { };

  public StreamDirectory(Vertx vertx, HazelcastClusterManager manager, PublishPolicy policy) {
    this.vertx = vertx;
    this.policy = policy;
    HazelcastInstance hazelcast = manager.getHazelcastInstance();
    this.cluster = hazelcast.getCluster();
    // Vert.x's node id, not the Hazelcast member UUID: a member that rejoins after a split (a hung node
    // that wakes up) gets a new member UUID, while the Vert.x id, a member attribute, stays.
    this.nodeId = manager.getNodeId();
    this.map = hazelcast.getMap(MAP_NAME);
    this.lifecycle = hazelcast.getLifecycleService();
    this.worker = vertx.createSharedWorkerExecutor("streamedge-directory", 1);
  }

  /** The node that publishes {@code key} now, or null; from this node's copy, callable from any thread. */
  public String originOf(StreamKey key) {
    DirectoryEntry entry = origins.get(key);
    return entry == null ? null : entry.nodeId();
  }

  /** The directory's entry of {@code key}, or null; from this node's copy, callable from any thread. */
  public DirectoryEntry entryOf(StreamKey key) {
    return origins.get(key);
  }

  /**
   * Every stream published in the cluster, with its origin node, publish time, publisher address and
   * codecs: a snapshot of this node's copy, callable from any thread. As long as the cluster's streams.
   */
  public List<DirectoryEntry> entries() {
    return List.copyOf(origins.values());
  }

  /**
   * Tells {@code listener} each time the origin of a key changes, with the new origin's node id or null
   * when nobody publishes it any more. Called on a Hazelcast thread: it must hop to its own context.
   * Set once, before {@link #start}.
   */
  public void onOriginChange(BiConsumer<StreamKey, String> listener) {
    this.originListener = listener;
  }

  /** Tells {@code listener} the id of each member that leaves, on a Hazelcast thread. Set before {@link #start}. */
  public void onMemberLeft(Consumer<String> listener) {
    this.memberLeftListener = listener;
  }

  /** This node's id in the directory and in cluster logs. */
  public String nodeId() {
    return nodeId;
  }

  /** Starts cleaning up after nodes that leave and obeying takeovers by other nodes, kicking in {@code registry}. */
  public Future<Void> start(StreamRegistry registry) {
    // MembershipLog logs the joins and leaves; this only cleans up after those that leave.
    cluster.addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        // A Hazelcast thread: the map calls go to the worker like every other.
        String gone = nodeIdOf(event.getMember());
        memberLeftListener.accept(gone);
        worker.executeBlocking(() -> removeEntriesOf(gone), false)
            .onFailure(e -> LOG.warn("directory cleanup after node {} failed: {}", gone, e.toString()));
      }
    });
    map.addEntryListener(new OriginEvents(), true);
    // A node that was split off (hung, or cut off) and merges back gets the cluster's entries without
    // an event for each: it copies the directory again.
    lifecycle.addLifecycleListener(event -> {
      if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
        LOG.info("cluster merged, {} members: {}", cluster.getMembers().size(), cluster.getMembers());
        worker.executeBlocking(() -> giveUpLostClaims(registry, copyDirectory()), false)
            .onFailure(e -> LOG.warn("directory copy after a merge failed: {}", e.toString()));
      }
    });
    Future<Void> copied = worker.executeBlocking(this::copyDirectory, false).mapEmpty();
    return vertx.eventBus().<JsonObject>consumer(TAKEOVER_ADDRESS + nodeId, message -> {
      JsonObject body = message.body();
      registry.kickPublisher(new StreamKey(body.getString("app"), body.getString("key")),
          "taken over by a publisher on node " + body.getString("by"));
    }).completion().compose(v -> copied);
  }

  /** Keeps {@link #origins} equal to the map; entry events of one key come in order. */
  private final class OriginEvents implements EntryAddedListener<String, String>,
      EntryUpdatedListener<String, String>, EntryRemovedListener<String, String>,
      EntryEvictedListener<String, String> {

    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      held(event.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      held(event.getValue());
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
      gone(event.getOldValue());
    }

    @Override
    public void entryEvicted(EntryEvent<String, String> event) {
      gone(event.getOldValue());
    }

    private void held(String json) {
      DirectoryEntry entry = DirectoryEntry.fromJson(json);
      StreamKey key = new StreamKey(entry.app(), entry.key());
      DirectoryEntry was = origins.put(key, entry);
      if (was == null || !entry.nodeId().equals(was.nodeId())) {
        originListener.accept(key, entry.nodeId());
      }
    }

    private void gone(String json) {
      if (json == null) {
        return;
      }
      DirectoryEntry entry = DirectoryEntry.fromJson(json);
      StreamKey key = new StreamKey(entry.app(), entry.key());
      if (removeIfOf(key, entry.nodeId())) {
        originListener.accept(key, null);
      }
    }
  }

  @Override
  public Future<Boolean> claim(StreamKey key, String publisher) {
    return worker.executeBlocking(() -> claimBlocking(key, publisher), false)
        .onFailure(e -> LOG.warn("directory claim of {} failed, publish refused: {}", key, e.toString()));
  }

  @Override
  public void release(StreamKey key) {
    worker.executeBlocking(() -> releaseBlocking(key), false)
        .onFailure(e -> LOG.warn("directory release of {} failed: {}", key, e.toString()));
  }

  @Override
  public void describe(StreamKey key, String video, String audio) {
    worker.executeBlocking(() -> describeBlocking(key, video, audio), false)
        .onFailure(e -> LOG.warn("directory codecs of {} not recorded: {}", key, e.toString()));
  }

  private Void describeBlocking(StreamKey key, String video, String audio) {
    String id = key.toString();
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      String held = map.get(id);
      if (held == null || !DirectoryEntry.fromJson(held).nodeId().equals(nodeId)) {
        return null; // released or taken over meanwhile: the entry is not ours to describe
      }
      if (map.replace(id, held, DirectoryEntry.fromJson(held).withCodecs(video, audio).toJson())) {
        LOG.info("directory: {} codecs video={} audio={}", key, video.isEmpty() ? "none" : video,
            audio.isEmpty() ? "none" : audio);
        return null;
      }
    }
    throw new IllegalStateException("directory entry of " + key + " changed " + MAX_ATTEMPTS + " times while describing it");
  }

  private boolean claimBlocking(StreamKey key, String publisher) {
    String id = key.toString();
    String mine = DirectoryEntry.of(nodeId, key, publisher).toJson();
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      String held = map.putIfAbsent(id, mine);
      if (held == null) {
        LOG.info("directory: {} origin is this node {}", key, nodeId);
        return true;
      }
      DirectoryEntry holder = DirectoryEntry.fromJson(held);
      if (holder.nodeId().equals(nodeId)) {
        return true; // our own publisher: the local publish policy decides
      }
      boolean holderAlive = isMember(holder.nodeId());
      if (holderAlive && policy == PublishPolicy.REJECT) {
        LOG.info("directory: {} refused, node {} publishes it", key, holder.nodeId());
        return false;
      }
      if (map.replace(id, held, mine)) {
        LOG.info("directory: {} origin is this node {}, taken over from {} node {}", key, nodeId,
            holderAlive ? "live" : "departed", holder.nodeId());
        if (holderAlive) {
          vertx.eventBus().send(TAKEOVER_ADDRESS + holder.nodeId(),
              new JsonObject().put("app", key.app()).put("key", key.name()).put("by", nodeId));
        }
        return true;
      }
    }
    throw new IllegalStateException("directory entry of " + key + " changed " + MAX_ATTEMPTS + " times during one claim");
  }

  /**
   * Makes this node's copy equal to the map and tells the listener every origin, changed or not: after
   * a merge, what this node did while it was alone (dropping the pulls from members it took for dead)
   * no longer matches the cluster, whatever its copy says.
   */
  private Map<StreamKey, DirectoryEntry> copyDirectory() {
    Map<StreamKey, DirectoryEntry> now = new HashMap<>();
    for (String json : map.values()) {
      DirectoryEntry held = DirectoryEntry.fromJson(json);
      now.put(new StreamKey(held.app(), held.key()), held);
    }
    for (StreamKey key : List.copyOf(origins.keySet())) {
      DirectoryEntry was = origins.get(key);
      if (was != null && !now.containsKey(key) && origins.remove(key, was)) {
        originListener.accept(key, null);
      }
    }
    now.forEach((key, entry) -> {
      origins.put(key, entry);
      originListener.accept(key, entry.nodeId());
    });
    return now;
  }

  /**
   * After a merge, the keys this node published while split off that the merged directory gives to
   * another node: this side merged into the other, whose entries won, so each such key now has a
   * second origin here. Its publisher here goes, as the publish policy would have refused or taken it
   * over had the cluster been whole (FaultSplitBrainTest). {@code published} is the merged directory.
   */
  private Void giveUpLostClaims(StreamRegistry registry, Map<StreamKey, DirectoryEntry> published) {
    published.forEach((key, entry) -> {
      if (!entry.nodeId().equals(nodeId)) {
        registry.kickOwnPublisher(key, "the cluster merged after a split and node " + entry.nodeId()
            + " publishes " + key);
      }
    });
    return null;
  }

  /** Removes the copy's entry of {@code key} if {@code nodeId} is its origin; whether it did. */
  private boolean removeIfOf(StreamKey key, String nodeId) {
    boolean[] removed = {false};
    origins.computeIfPresent(key, (k, held) -> {
      if (!held.nodeId().equals(nodeId)) {
        return held;
      }
      removed[0] = true;
      return null;
    });
    return removed[0];
  }

  private boolean isMember(String id) {
    return cluster.getMembers().stream().anyMatch(member -> id.equals(nodeIdOf(member)));
  }

  /** The Vert.x node id that the cluster manager sets as an attribute of every member. */
  private static String nodeIdOf(Member member) {
    return member.getAttribute(VERTX_NODE_ID);
  }

  private Void releaseBlocking(StreamKey key) {
    String id = key.toString();
    String held = map.get(id);
    // After a takeover the entry is the new origin's: it stays.
    if (held != null && DirectoryEntry.fromJson(held).nodeId().equals(nodeId) && map.remove(id, held)) {
      LOG.info("directory: {} released by this node", key);
    }
    return null;
  }

  private Void removeEntriesOf(String departedNodeId) {
    List<String> removed = new ArrayList<>();
    for (Map.Entry<String, String> entry : map.entrySet()) {
      if (DirectoryEntry.fromJson(entry.getValue()).nodeId().equals(departedNodeId)
          && map.remove(entry.getKey(), entry.getValue())) {
        removed.add(entry.getKey());
      }
    }
    LOG.info("directory: removed {} of departed node {}", removed, departedNodeId);
    return null;
  }
}
