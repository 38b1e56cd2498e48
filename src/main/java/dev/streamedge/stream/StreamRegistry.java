package dev.streamedge.stream;

import dev.streamedge.media.WireFormats;
import dev.streamedge.net.EventLoops;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * All live streams of this node, shared by every event loop. The map is the only shared structure;
 * each stream's state stays on its home context. A stream exists while it has a publisher or
 * subscribers (players may wait for a publisher, as with nginx-rtmp's idle streams).
 */
public final class StreamRegistry {

  private final ConcurrentHashMap<StreamKey, LiveStream> streams = new ConcurrentHashMap<>();
  private final List<Consumer<StreamKey>> liveListeners = new CopyOnWriteArrayList<>();
  private final PublishRules rules;
  private final long gopMaxBytes;
  private final int gopMaxFrames;
  private final WireFormats formats;
  private final PublishGate gate;
  private volatile Upstream upstream = Upstream.NONE;
  private volatile BiConsumer<StreamKey, String> pushes = (key, url) -> { };

  /**
   * Each packet is encoded once in each of {@code formats}, for all players of that format. Every publish
   * is first claimed through {@code gate}.
   */
  public StreamRegistry(PublishRules rules, long gopMaxBytes, int gopMaxFrames, WireFormats formats,
      PublishGate gate) {
    this.rules = rules;
    this.gate = gate;
    this.gopMaxBytes = gopMaxBytes;
    this.gopMaxFrames = gopMaxFrames;
    this.formats = formats;
  }

  /**
   * Starts publishing {@code key}. Must be called on an event-loop context; the future completes on it,
   * with the session, or why the publish rules refuse a second publisher, here or, through the
   * {@link PublishGate}, on another node.
   *
   * @param credential what the publisher presented to auth (its key or signature), empty when nothing
   *     was asked: under takeover, the same credential may take over a publisher that is sending
   */
  public Future<PublishResult> claim(StreamKey key, StreamPublisher publisher, String credential) {
    Context caller = Vertx.currentContext();
    Promise<PublishResult> promise = Promise.promise();
    onStream(key, caller, stream -> stream.claimAndPublish(publisher, credential)
        .onSuccess(result -> caller.runOnContext(v -> promise.complete(result))));
    return promise.future();
  }

  /** As {@link #claim} with no credential; completes with the session, or null when refused. */
  public Future<PublishSession> publish(StreamKey key, StreamPublisher publisher) {
    return claim(key, publisher, "").map(PublishResult::session);
  }

  /**
   * Feeds {@code key} from another node: {@code relay} publishes here without claiming the key (its
   * origin holds the claim) and only while no local publisher does. Completes on the caller's context
   * with the session, or null when a local publisher has the stream.
   */
  public Future<PublishSession> relay(StreamKey key, StreamPublisher relay) {
    Context caller = Vertx.currentContext();
    Promise<PublishSession> promise = Promise.promise();
    onStream(key, caller, stream -> {
      PublishSession session = stream.relay(relay);
      caller.runOnContext(v -> promise.complete(session));
    });
    return promise.future();
  }

  /**
   * Adds where streams not published here come from: the cluster's other nodes, on-demand pulls. At
   * start-up, before any connection; each is asked and told in the order added.
   */
  public void upstream(Upstream source) {
    this.upstream = upstream == Upstream.NONE ? source : Upstream.both(upstream, source);
  }

  /** A play of {@code key} was redirected to {@code url} by the play callback: see {@link Upstream#redirected}. */
  public void redirected(StreamKey key, String url) {
    upstream.redirected(key, url);
  }

  /**
   * Hears the pushes the publish callback asks for ({@link #pushRequested}): the relays. Once, at start-up.
   */
  public void onPushRequested(BiConsumer<StreamKey, String> listener) {
    this.pushes = listener;
  }

  /**
   * A publish of {@code key}, live now, was redirected to {@code url} by the publish callback (nginx-rtmp's
   * on_publish 3xx with an RTMP {@code Location}): the stream is to be pushed there while this publish lasts.
   * On the publisher's context; does not block.
   */
  public void pushRequested(StreamKey key, String url) {
    pushes.accept(key, url);
  }

  /** Disconnects the publisher of {@code key} on this node, if there is one: another node took it over. */
  public void kickPublisher(StreamKey key, String reason) {
    LiveStream stream = streams.get(key);
    if (stream != null) {
      stream.onHome(() -> stream.kickPublisher(reason));
    }
  }

  /** As {@link #kickPublisher}, for this node's own publisher only: a relay of {@code key} stays. */
  public void kickOwnPublisher(StreamKey key, String reason) {
    LiveStream stream = streams.get(key);
    if (stream != null) {
      stream.onHome(() -> stream.kickOwnPublisher(reason));
    }
  }

  /**
   * The node {@code key} was to be relayed from did not answer, or left, before a relay published it
   * here: the players waiting for it are told it is unpublished (an HTTP-FLV player that got nothing
   * yet gets a 404, rather than waiting with no answer at all). Nothing changes for a live stream.
   */
  public void unavailable(StreamKey key) {
    LiveStream stream = streams.get(key);
    if (stream != null) {
      stream.onHome(stream::unavailable);
    }
  }

  /**
   * Attaches a subscriber; it is told {@link StreamSubscriber#attached} on its own context. Call on that
   * context. When other players of the stream are on the same event loop, it starts at once from their
   * group; else the stream's home attaches it, a hop there and back.
   */
  public Subscription subscribe(StreamKey key, StreamSubscriber subscriber) {
    Subscription subscription = new Subscription(key, subscriber);
    LiveStream stream = streams.get(key);
    Context current = Vertx.currentContext();
    LocalGroup group = stream == null || current == null ? null
        : stream.joinableGroup(EventLoops.loopOf(current));
    if (group != null && EventLoops.loopOf(subscriber.context()) == group.loop) {
      subscription.joinAtOnce(stream, group);
    } else {
      onStream(key, subscriber.context(), s -> s.attach(subscription));
    }
    return subscription;
  }

  /**
   * Whether {@code key} has a publisher now: a lock-free snapshot from any thread, for deciding at once
   * whether a request can be served (a WebSocket upgrade cannot wait for a hop to the stream's home).
   */
  public boolean isLive(StreamKey key) {
    LiveStream stream = streams.get(key);
    return stream != null && stream.live();
  }

  /**
   * Whether {@code key} can be played here now: it is live on this node or, in a cluster, on another
   * node it can be pulled from. A lock-free snapshot from any thread.
   */
  public boolean isAvailable(StreamKey key) {
    return isLive(key) || upstream.publishedElsewhere(key);
  }

  /** Whether {@code key} is published on another node of the cluster and not here. Any thread. */
  public boolean isPublishedElsewhere(StreamKey key) {
    return !isLive(key) && upstream.publishedElsewhere(key);
  }

  /** A snapshot of one stream, taken on its home context; empty when the stream does not exist. */
  public Future<Optional<StreamInfo>> info(StreamKey key) {
    LiveStream stream = streams.get(key);
    if (stream == null) {
      return Future.succeededFuture(Optional.empty());
    }
    Promise<Optional<StreamInfo>> promise = Promise.promise();
    stream.onHome(() -> promise.complete(stream.closed() ? Optional.empty()
        : Optional.of(stream.info())));
    return promise.future();
  }

  /**
   * Snapshots of every stream of this node, each taken on its home context, in no order. The list is
   * as long as the streams, which the connection limits bound.
   */
  public Future<List<StreamInfo>> infos() {
    List<Future<Optional<StreamInfo>>> each = new ArrayList<>(streams.size());
    for (StreamKey key : streams.keySet()) {
      each.add(info(key));
    }
    return Future.all(each).map(all -> each.stream()
        .map(Future::result)
        .flatMap(Optional::stream)
        .toList());
  }

  /**
   * Tells {@code listener} whenever a stream goes live by a publisher on this node (not by a relay from
   * another node).
   * Called on the stream's home context: the listener must hop to its own. Register at start-up.
   */
  public void onLive(Consumer<StreamKey> listener) {
    liveListeners.add(listener);
  }

  void wentLive(StreamKey key) {
    for (Consumer<StreamKey> listener : liveListeners) {
      listener.accept(key);
    }
  }

  public int size() {
    return streams.size();
  }

  /**
   * Streams with a publisher now, of this node or relayed from another. Any thread: a weakly
   * consistent count over the map, for metrics, which read it at each scrape.
   */
  public int liveCount() {
    int live = 0;
    for (LiveStream stream : streams.values()) {
      if (stream.live()) {
        live++;
      }
    }
    return live;
  }

  private void onStream(StreamKey key, Context caller, Consumer<LiveStream> action) {
    LiveStream stream = streams.computeIfAbsent(key, k -> new LiveStream(k, caller, this));
    stream.onHome(() -> {
      if (stream.closed()) {
        onStream(key, caller, action);
      } else {
        action.accept(stream);
      }
    });
  }

  void remove(LiveStream stream) {
    streams.remove(stream.key(), stream);
  }

  Upstream upstream() {
    return upstream;
  }

  PublishGate gate() {
    return gate;
  }

  PublishRules rules() {
    return rules;
  }

  long gopMaxBytes() {
    return gopMaxBytes;
  }

  int gopMaxFrames() {
    return gopMaxFrames;
  }

  WireFormats formats() {
    return formats;
  }
}
