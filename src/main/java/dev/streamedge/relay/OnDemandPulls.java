package dev.streamedge.relay;

import dev.streamedge.config.RelayConfig;
import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.metrics.Metrics;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamRegistry;
import dev.streamedge.stream.Upstream;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.LoggerFactory;

/**
 * Pulls on demand ({@code relay.pull-on-demand}): the stream core tells this {@link Upstream} when a
 * stream gains its first viewer on this node and loses its last. A stream of an app with a template that
 * nobody publishes here is then played from the template's URL by a {@link PullRelay} of its own, on an
 * event-loop context of its own, and stopped {@code relay.pull-linger} after its last viewer left, as
 * nginx-rtmp's {@code pull} does with its idle streams. At most {@code relay.pull-on-demand-max} run at
 * once; a viewer past them waits for a publisher, as for any stream that is not live. A play callback's
 * redirect to an RTMP URL (nginx-rtmp's on_play 3xx) starts one too, from that URL.
 */
final class OnDemandPulls implements Upstream {

  private static final RateLimitedLog LOG =
      RateLimitedLog.of(LoggerFactory.getLogger(OnDemandPulls.class), "pull-on-demand");

  /** The meters' label of redirected pulls: their URLs come from the callback, not from the config. */
  private static final String REDIRECTED = "on_play";

  private final Vertx vertx;
  private final StreamRegistry registry;
  private final RelayConfig config;
  private final PullClients clients;
  private final Metrics metrics;
  private final List<PushTarget> templates;
  private final ConcurrentHashMap<StreamKey, PullRelay> pulls = new ConcurrentHashMap<>();

  OnDemandPulls(Vertx vertx, StreamRegistry registry, RelayConfig config, PullClients clients, Metrics metrics) {
    this.vertx = vertx;
    this.registry = registry;
    this.config = config;
    this.clients = clients;
    this.metrics = metrics;
    this.templates = config.pullTemplates();
    // The meters of each template exist from the start, at zero.
    templates.forEach(template -> metrics.pull(template.label()));
  }

  /** On-demand pulls now, lingering ones included; any thread. */
  int count() {
    return pulls.size();
  }

  /** Every on-demand pull now, in app and key order; a snapshot from any thread. */
  List<PullState> states() {
    return pulls.values().stream()
        .filter(pull -> !pull.stopped())
        .map(PullRelay::snapshot)
        .sorted(Comparator.comparing(PullState::app).thenComparing(PullState::key))
        .toList();
  }

  /**
   * A stream of an app with a template can be played here: a viewer's ask starts its pull, unless the
   * cap is reached. Tells HTTP-FLV to wait rather than answer 404 and HLS to package it.
   */
  @Override
  public boolean publishedElsewhere(StreamKey key) {
    return pulls.containsKey(key) || template(key.app()) != null && pulls.size() < config.pullOnDemandMax();
  }

  /** On the stream's home context. */
  @Override
  public void wanted(StreamKey key) {
    PullRelay existing = pulls.get(key);
    if (existing != null && !existing.stopped()) {
      wantedAgain(key, existing);
      return;
    }
    PushTarget template = template(key.app());
    if (template != null && !registry.isLive(key)) {
      // Nobody publishes it here: it is pulled.
      start(key, template.pullUrlFor(key), template.label());
    }
  }

  /**
   * The play callback's redirect: the pull starts now, before the player subscribes, and lingers until
   * the player's subscription tells {@link #wanted} (a player gone in between leaves no pull behind).
   */
  @Override
  public void redirected(StreamKey key, String url) {
    PullUrl parsed;
    try {
      parsed = PullUrl.parse(url);
    } catch (IllegalArgumentException e) {
      LOG.info("pull {}/{}: the redirect to {} is no URL the client speaks: {}", key.app(), key.name(), url,
          e.getMessage());
      return;
    }
    if (registry.isLive(key)) {
      // Published here: the player plays that, as it would with no redirect.
      return;
    }
    PullRelay made = start(key, parsed, REDIRECTED);
    if (made != null) {
      made.context().runOnContext(v -> made.unwanted(config.pullLinger().toMillis(), () -> removed(key, made)));
    }
  }

  private void wantedAgain(StreamKey key, PullRelay kept) {
    kept.context().runOnContext(v -> {
      if (!kept.wanted()) {
        // Its linger ended between the look-up and now: a new pull from the same source takes over.
        removed(key, kept);
        start(key, kept.source().url(), kept.metersLabel());
      }
    });
  }

  /**
   * A new pull of {@code key} from {@code url}, counted under {@code label}; null when one runs already or
   * the cap is reached.
   */
  private PullRelay start(StreamKey key, PullUrl url, String label) {
    PullRelay[] made = new PullRelay[1];
    PullRelay now = pulls.compute(key, (k, old) -> {
      if (old != null && !old.stopped()) {
        return old;
      }
      if (pulls.size() - (old == null ? 0 : 1) >= config.pullOnDemandMax()) {
        return null;
      }
      made[0] = new PullRelay(vertx, ((VertxInternal) vertx).createEventLoopContext(), registry,
          new PullSource(key, url), config, clients, metrics.pull(label)).onDemand(label);
      return made[0];
    });
    if (made[0] == null) {
      if (now == null) {
        LOG.info("pull {}/{} on demand: {} pulls already, relay.pull-on-demand-max", key.app(), key.name(),
            config.pullOnDemandMax());
      }
      return null;
    }
    PullRelay pull = made[0];
    LOG.info("pull {}/{} on demand from {}", key.app(), key.name(), pull.source().label());
    pull.context().runOnContext(v -> pull.start());
    return pull;
  }

  /** On the stream's home context. */
  @Override
  public void unwanted(StreamKey key) {
    PullRelay pull = pulls.get(key);
    if (pull != null) {
      pull.context().runOnContext(v -> pull.unwanted(config.pullLinger().toMillis(), () -> removed(key, pull)));
    }
  }

  private void removed(StreamKey key, PullRelay pull) {
    pulls.remove(key, pull);
  }

  private PushTarget template(String app) {
    for (PushTarget template : templates) {
      if (template.matches(app)) {
        return template;
      }
    }
    return null;
  }
}
