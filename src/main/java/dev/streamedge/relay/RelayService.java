package dev.streamedge.relay;

import dev.streamedge.config.PlayerConfig;
import dev.streamedge.config.RelayConfig;
import dev.streamedge.config.RtspConfig;
import dev.streamedge.metrics.Metrics;
import dev.streamedge.net.PinnedTrust;
import dev.streamedge.rtmp.client.RtmpClientOptions;
import dev.streamedge.rtsp.client.RtspClientLimits;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.TrustOptions;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relays of the node. Static pulls ({@code relay.pull}) start with the node, each on an event-loop
 * context of its own; on-demand pulls ({@code relay.pull-on-demand}, {@link OnDemandPulls}) with a
 * stream's first viewer. Push relays: when a stream goes live by a publisher on this node, each
 * {@code relay.push} target of its app gets a {@link PushRelay} of its own, on an event-loop context
 * of its own, which lasts while the stream is published (and a little after, for a publisher that comes
 * back); a push the publish callback asks for (nginx-rtmp's on_publish 3xx with an RTMP URL) lasts while
 * that publish does. A stream relayed here from another node of the cluster is pushed by the node its
 * publisher is on, not here. The relays are as many as live streams times targets (and one per publish the
 * callback redirects), which the connection limits and the config bound.
 */
public final class RelayService {

  private static final Logger LOG = LoggerFactory.getLogger(RelayService.class);

  /**
   * One stream's push to one target: a target of {@code relay.push}, or ({@code once}) one the publish
   * callback gave a publish, which ends with that publish.
   */
  private record RelayId(StreamKey key, PushTarget target, boolean once) {
  }

  /** The metrics' label of the pushes the publish callback asks for: their URLs are not the config's to bound. */
  static final String CALLBACK_LABEL = "on_publish";

  private final Vertx vertx;
  private final StreamRegistry registry;
  private final RelayConfig config;
  private final PlayerConfig player;
  private final Metrics metrics;
  private final List<PushTarget> targets;
  private final RtmpClientOptions options;
  private final ConcurrentHashMap<RelayId, PushRelay> relays = new ConcurrentHashMap<>();
  private final List<PullRelay> pulls;
  private final OnDemandPulls onDemand;
  /** HTTP-FLV sources' client: a strong reference for the node's life (see {@link PullClients}). */
  private final HttpClient http;

  /**
   * @param maxTagSize the largest FLV tag an HTTP-FLV source may send: {@code rtmp.max-message-size},
   *     the bound on an RTMP source's messages
   * @param rtsp the bounds of an RTSP source's replies and frames ({@code rtsp.max-request-size}, {@code
   *     rtsp.max-frame-size}); its silence is bounded by {@code relay.connect-timeout}
   */
  public RelayService(Vertx vertx, StreamRegistry registry, RelayConfig config, PlayerConfig player, Metrics metrics,
      int maxTagSize, RtspConfig rtsp) {
    this.vertx = vertx;
    this.registry = registry;
    this.config = config;
    this.player = player;
    this.metrics = metrics;
    this.targets = config.pushTargets();
    // The socket's write queue and kernel send buffer are a player's: past them, the relay's queue
    // holds and skips, and what the kernel holds stays a small part of the lag.
    NetClientOptions network = new NetClientOptions().setTcpNoDelay(true)
        .setSendBufferSize((int) player.socketSendBuffer().bytes())
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()));
    // Every relay's TLS (rtmps, rtmpts, https, rtsps) trusts the pinned certificates beside the JVM's authorities,
    // and a refusal names the certificate's fingerprint.
    TrustOptions trust = PinnedTrust.options(config.pinnedFingerprints(), "relay.tls-fingerprints");
    network.setTrustOptions(trust);
    this.options = RtmpClientOptions.of(network)
        .withMaxWriteQueueBytes((int) player.socketWriteBuffer().bytes())
        .withMaxTunnelQueuedBytes((int) Math.min(Integer.MAX_VALUE, 2 * player.socketWriteBuffer().bytes()));
    for (PushTarget target : targets) {
      metrics.relay(target.label());
    }
    if (!targets.isEmpty()) {
      registry.onLive(this::wentLive);
    }
    registry.onPushRequested(this::pushRequested);
    List<PullSource> sources = config.pullSources();
    int connectMillis = (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis());
    // One connection per pull, never kept alive nor shared: as many as the static pulls and the cap on
    // on-demand ones, and no request waits for another's connection.
    HttpClientOptions httpOptions = new HttpClientOptions()
        .setKeepAlive(false)
        .setTcpNoDelay(true)
        .setConnectTimeout(connectMillis);
    httpOptions.setTrustOptions(trust);
    this.http = vertx.createHttpClient(httpOptions,
        new PoolOptions().setHttp1MaxSize(sources.size() + config.pullOnDemandMax())
            .setMaxWaitQueueSize(sources.size() + config.pullOnDemandMax()));
    // A source silent for relay.connect-timeout is stalled: an HTTP-FLV server ends its answer when its
    // stream ends, so a live answer always has something to send. Dropped, it is tried again.
    PullClients clients = new PullClients(vertx, options, http, maxTagSize, connectMillis,
        new RtspClientLimits((int) rtsp.maxRequestSize().bytes(), (int) rtsp.maxFrameSize().bytes(),
            Math.max(1, connectMillis)));
    this.pulls = sources.stream()
        .map(source -> new PullRelay(vertx, ((VertxInternal) vertx).createEventLoopContext(), registry, source, config,
            clients, metrics.pull(source.label())))
        .toList();
    this.onDemand = new OnDemandPulls(vertx, registry, config, clients, metrics);
    // Also with no template: a play callback's redirect starts an on-demand pull.
    registry.upstream(onDemand);
    metrics.pullsOnDemand(onDemand::count);
  }

  /** Starts the static pulls, each on its own context; once, when the node is listening. */
  public void startPulls() {
    for (PullRelay pull : pulls) {
      pull.context().runOnContext(v -> pull.start());
    }
  }

  /** Every static pull, in the config's order, then the on-demand ones; a snapshot from any thread. */
  public List<PullState> pullStates() {
    return Stream.concat(pulls.stream().map(PullRelay::snapshot), onDemand.states().stream()).toList();
  }

  /** Every push now, in app, key and target order; a snapshot from any thread. */
  public List<PushState> pushes() {
    return relays.values().stream()
        .filter(relay -> !relay.stopped())
        .map(PushRelay::snapshot)
        .sorted(Comparator.comparing(PushState::app).thenComparing(PushState::key)
            .thenComparing(PushState::target))
        .toList();
  }

  /** Called on the stream's home context. */
  private void wentLive(StreamKey key) {
    for (PushTarget target : targets) {
      if (target.matches(key.app())) {
        start(new RelayId(key, target, false));
      }
    }
  }

  /**
   * nginx-rtmp's on_publish push: the publish callback answered a publish of {@code key}, live now, with a 3xx
   * and an RTMP {@code Location}. The push lasts while that publish does, and is not started again by a
   * later one. On the publisher's context.
   */
  private void pushRequested(StreamKey key, String url) {
    PushTarget target = new PushTarget(key.app(), url);
    try {
      target.urlFor(key);
    } catch (IllegalArgumentException e) {
      // The message would repeat the URL, whose stream name may be a service's secret key.
      LOG.warn("push {}/{} asked by the publish callback not started: not an RTMP URL the client speaks",
          key.app(), key.name());
      return;
    }
    start(new RelayId(key, target, true));
  }

  private void start(RelayId id) {
    // A new context, on the next event loop of Vert.x's round robin: getOrCreateContext would give
    // the stream's own home, the publisher's loop.
    Context context = ((VertxInternal) vertx).createEventLoopContext();
    PushRelay[] made = new PushRelay[1];
    relays.compute(id, (k, old) -> {
      if (old != null && !old.stopped()) {
        if (!id.once()) {
          // Still there from the last session: it hears published() itself.
          return old;
        }
        // The push of the last publish, its end not yet heard: this publish's push takes its place.
        old.context().runOnContext(v -> old.stop());
      }
      made[0] = new PushRelay(vertx, context, registry, id.key(), id.target(), config, player, options,
          metrics.relay(id.once() ? CALLBACK_LABEL : id.target().label()), id.once(), () -> stopped(id));
      return made[0];
    });
    if (made[0] != null) {
      LOG.info("push {}/{} to {}", id.key().app(), id.key().name(), id.target().label());
      PushRelay relay = made[0];
      context.runOnContext(v -> relay.start());
    }
  }

  /**
   * A relay stopped, its publisher gone: it leaves the map. Should the stream have gone live again
   * while it was stopping (its published() lost to the stop), a new relay takes over, unless it was the
   * push of one publish.
   */
  private void stopped(RelayId id) {
    relays.computeIfPresent(id, (k, relay) -> relay.stopped() ? null : relay);
    if (!id.once() && registry.isLive(id.key()) && !relays.containsKey(id)) {
      start(id);
    }
  }
}
