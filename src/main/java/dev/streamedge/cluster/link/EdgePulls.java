package dev.streamedge.cluster.link;

import dev.streamedge.cluster.StreamDirectory;
import dev.streamedge.metrics.Metrics;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamPublisher;
import dev.streamedge.stream.StreamRegistry;
import dev.streamedge.stream.Upstream;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node as an edge: pulls each stream its viewers want from the stream's origin, once for all of
 * them, and follows the stream when its origin changes. A pull starts with the first local subscriber
 * of any protocol, whichever node the stream comes from, and ends {@code cluster.pull-linger} after the
 * last one left. All state lives on the link context.
 */
public final class EdgePulls implements Upstream {

  private static final Logger LOG = LoggerFactory.getLogger(EdgePulls.class);
  /** Pull requests wait this long for the origin: a hung origin must not hold a pull for long. */
  private static final long PULL_TIMEOUT_MS = 3000;
  private static final long RETRY_MS = 1000;
  /**
   * How long the link of an origin that released a stream may still bring its last frames, and how long an
   * unpublish waits for frames sent before it.
   */
  private static final long LAST_FRAMES_MS = 1000;
  /** Acknowledgements go at least this often while frames come, whatever the window. */
  private static final long ACK_PERIOD_MS = 200;

  private final Vertx vertx;
  private final Context context;
  private final EventBus bus;
  private final StreamRegistry registry;
  private final StreamDirectory directory;
  private final String nodeId;
  private final long lingerMs;
  private final long windowBytes;
  private final Map<StreamKey, EdgePull> pulls = new HashMap<>();
  private final Map<Long, EdgePull> byLink = new HashMap<>();
  /** The size of {@code byLink}, for the metrics, which read it from another thread. */
  private volatile int links;
  private final Counter pullsStarted;
  private long nextLink;

  public EdgePulls(Vertx vertx, Context context, StreamRegistry registry, StreamDirectory directory,
      Duration linger, long windowBytes, Metrics metrics) {
    this.vertx = vertx;
    this.context = context;
    this.bus = vertx.eventBus();
    this.registry = registry;
    this.directory = directory;
    this.nodeId = directory.nodeId();
    this.lingerMs = linger.toMillis();
    this.windowBytes = windowBytes;
    this.pullsStarted = metrics.edgePulls(() -> links);
  }

  /** Registers this node's edge address and starts acknowledging. */
  public Future<Void> start() {
    Promise<Void> registered = Promise.promise();
    context.runOnContext(v -> {
      vertx.setPeriodic(ACK_PERIOD_MS, id -> pulls.values().forEach(EdgePull::acknowledge));
      bus.consumer(LinkAddresses.edge(nodeId), this::onMessage).completion().onComplete(registered);
    });
    return registered.future();
  }

  @Override
  public boolean publishedElsewhere(StreamKey key) {
    String origin = directory.originOf(key);
    return origin != null && !origin.equals(nodeId);
  }

  @Override
  public void wanted(StreamKey key) {
    context.runOnContext(v -> {
      EdgePull pull = pulls.computeIfAbsent(key, k -> new EdgePull(this, k));
      pull.wanted = true;
      cancel(pull.lingerTimer);
      pull.lingerTimer = -1;
      follow(pull, directory.originOf(key));
    });
  }

  @Override
  public void unwanted(StreamKey key) {
    context.runOnContext(v -> {
      EdgePull pull = pulls.get(key);
      if (pull == null) {
        return;
      }
      pull.wanted = false;
      if (pull.link < 0 || lingerMs == 0) {
        end(pull, "no viewer left");
      } else {
        pull.lingerTimer = vertx.setTimer(lingerMs, id -> {
          pull.lingerTimer = -1;
          if (!pull.wanted) {
            end(pull, "no viewer for " + lingerMs + " ms");
          }
        });
      }
    });
  }

  /** The directory says {@code origin} (or nobody, when null) publishes {@code key} now. Any thread. */
  public void originChanged(StreamKey key, String origin) {
    context.runOnContext(v -> {
      EdgePull pull = pulls.get(key);
      if (pull == null) {
        return;
      }
      if (origin == null && pull.link >= 0) {
        // The origin released the key, and the directory may say so before the link has brought the
        // last frames and the unpublished event (two ways, no order between them): let those come.
        // A dead origin sends nothing more, and memberLeft ends its pulls at once.
        vertx.setTimer(LAST_FRAMES_MS, id -> {
          if (pulls.get(key) == pull) {
            follow(pull, directory.originOf(key));
          }
        });
        return;
      }
      follow(pull, origin);
    });
  }

  /** A member left the cluster: the streams pulled from it end here until the directory names a new origin. */
  public void memberLeft(String node) {
    context.runOnContext(v -> pulls.values().stream()
        .filter(pull -> node.equals(pull.origin))
        .toList()
        .forEach(pull -> follow(pull, null)));
  }

  StreamRegistry registry() {
    return registry;
  }

  void acknowledge(EdgePull pull, long bytes) {
    bus.send(LinkAddresses.origin(pull.origin), new JsonObject().put(LinkAddresses.OP, LinkAddresses.ACK)
        .put("edge", nodeId).put("link", pull.link).put("bytes", bytes));
  }

  /** A publisher of this node took the stream over from {@code relay}. Any thread. */
  void kicked(EdgePull pull, StreamPublisher relay, String reason) {
    context.runOnContext(v -> {
      if (pulls.get(pull.key()) == pull && pull.relays(relay)) {
        LOG.info("pull stop stream={} from={} reason={}", pull.key(), pull.origin, reason);
        unlink(pull);
        pull.origin = null;
      }
    });
  }

  /** Pulls from {@code origin}, or from nobody: a stream published here or nowhere needs no pull. */
  private void follow(EdgePull pull, String origin) {
    String target = nodeId.equals(origin) ? null : origin;
    if (Objects.equals(target, pull.origin) && (pull.link >= 0 || pull.retryTimer >= 0 || target == null)) {
      return;
    }
    if (pull.link >= 0) {
      LOG.info("pull stop stream={} from={} reason={}", pull.key(), pull.origin,
          target == null ? "origin gone" : "origin moved to " + target);
    }
    unlink(pull);
    pull.origin = target;
    if (target != null) {
      link(pull);
    }
  }

  private void link(EdgePull pull) {
    long number = nextLink++;
    pull.linked(number, windowBytes);
    byLink.put(number, pull);
    links = byLink.size();
    String origin = pull.origin;
    JsonObject request = new JsonObject().put(LinkAddresses.OP, LinkAddresses.PULL).put("edge", nodeId)
        .put("link", number).put("app", pull.key().app()).put("key", pull.key().name()).put("window", windowBytes);
    bus.<JsonObject>request(LinkAddresses.origin(origin), request, new DeliveryOptions().setSendTimeout(PULL_TIMEOUT_MS))
        .onComplete(reply -> {
          if (pull.link != number) {
            return;
          }
          if (reply.succeeded()) {
            pull.granted(reply.result().body().getLong("window", windowBytes));
            pullsStarted.increment();
            LOG.info("pull start stream={} from={} link={}", pull.key(), origin, number);
            return;
          }
          LOG.info("pull refused stream={} from={} reason={}", pull.key(), origin, reply.cause().getMessage());
          unlink(pull);
          pull.retryTimer = vertx.setTimer(RETRY_MS, id -> {
            pull.retryTimer = -1;
            if (pulls.get(pull.key()) == pull && pull.link < 0) {
              pull.origin = null;
              follow(pull, directory.originOf(pull.key()));
            }
          });
        });
  }

  /**
   * Ends the current link, if any: the origin is told, local players see the stream unpublished. A
   * link that ended before any relay published on it (the origin did not answer, or left first)
   * leaves players waiting for a publisher that is not coming, never told anything: the registry
   * tells them it is unpublished. Players a relay already told are not told twice.
   */
  private void unlink(EdgePull pull) {
    cancel(pull.retryTimer);
    pull.retryTimer = -1;
    boolean linked = pull.link >= 0;
    if (linked) {
      byLink.remove(pull.link);
      links = byLink.size();
      bus.send(LinkAddresses.origin(pull.origin), new JsonObject().put(LinkAddresses.OP, LinkAddresses.STOP)
          .put("edge", nodeId).put("link", pull.link));
      pull.link = -1;
    }
    pull.unpublished();
    if (linked && !pull.relayedOnLink()) {
      registry.unavailable(pull.key());
    }
  }

  private void end(EdgePull pull, String reason) {
    if (pull.link >= 0) {
      LOG.info("pull stop stream={} from={} reason={} gaps={}", pull.key(), pull.origin, reason, pull.gaps());
    }
    cancel(pull.lingerTimer);
    unlink(pull);
    pulls.remove(pull.key());
  }

  private void onMessage(Message<Object> message) {
    Object body = message.body();
    if (body instanceof MediaFrame frame) {
      EdgePull pull = byLink.get(frame.link());
      if (pull != null) {
        pull.frame(frame);
      }
    } else if (body instanceof JsonObject event) {
      EdgePull pull = byLink.get(event.getLong("link", -1L));
      if (pull == null) {
        return;
      }
      switch (event.getString(LinkAddresses.EVENT, "")) {
        case LinkAddresses.PUBLISHED -> pull.published();
        case LinkAddresses.UNPUBLISHED -> {
          // Events and frames take the same way, but Vert.x may hand a message to the connection from
          // another thread while it updates where an address lives: the last frames can come after.
          long link = pull.link;
          if (!pull.unpublishedAfter(event.getLong(LinkAddresses.FRAMES, -1L))) {
            vertx.setTimer(LAST_FRAMES_MS, id -> {
              if (pull.link == link) {
                pull.unpublishWaiting();
              }
            });
          }
        }
        default -> LOG.warn("link event {} ignored", event.encode());
      }
    }
  }

  private void cancel(long timer) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
