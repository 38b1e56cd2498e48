package dev.streamedge.transcode;

import dev.streamedge.stream.StreamInfo;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamRegistry;
import dev.streamedge.stream.Upstream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code transcode.on-demand}: a live stream's transcoder starts at the first request for its master
 * playlist, or for one of its renditions (a player, HLS or FLV request of a rendition makes the stream
 * core ask its {@link Upstream}s for it, and this is one: a rendition of a source live here is "available"
 * before it exists), and stops once, for {@code transcode.linger}, nobody asked for the master playlist
 * and no rendition had a subscriber but the transcoder's own watch.
 */
final class OnDemandTranscoders implements Upstream {

  private static final Logger LOG = LoggerFactory.getLogger(OnDemandTranscoders.class);
  static final long CHECK_MILLIS = 1000;
  /** How long a master playlist request waits for the first rendition of a transcoder it started. */
  static final long FIRST_RENDITION_WAIT_MILLIS = 8000;
  private static final long POLL_MILLIS = 100;

  private final Vertx vertx;
  private final StreamRegistry registry;
  private final TranscodeService service;
  private final long lingerNanos;
  /** When each running on-demand transcoder was last asked for; bounded by the transcoders. */
  private final Map<StreamKey, Long> asked = new ConcurrentHashMap<>();

  OnDemandTranscoders(Vertx vertx, StreamRegistry registry, TranscodeService service, long lingerMillis) {
    this.vertx = vertx;
    this.registry = registry;
    this.service = service;
    this.lingerNanos = lingerMillis * 1_000_000;
    vertx.setPeriodic(CHECK_MILLIS, id -> checkIdle());
  }

  /**
   * {@code source} is asked for: its transcoder starts, if it is live here and has none. Completes with
   * whether a rendition is live, at once or when the first one is, within
   * {@link #FIRST_RENDITION_WAIT_MILLIS}.
   */
  Future<Boolean> ask(StreamKey source) {
    if (!registry.isLive(source)) {
      return Future.succeededFuture(false);
    }
    asked.put(source, System.nanoTime());
    service.start(source);
    Promise<Boolean> ready = Promise.promise();
    long deadline = System.nanoTime() + FIRST_RENDITION_WAIT_MILLIS * 1_000_000;
    poll(source, deadline, ready);
    return ready.future();
  }

  private void poll(StreamKey source, long deadline, Promise<Boolean> ready) {
    boolean live = service.variants(source).map(v -> v.stream().anyMatch(variant -> !variant.name().isEmpty()))
        .orElse(false);
    if (live || System.nanoTime() > deadline) {
      ready.complete(live);
    } else {
      vertx.setTimer(POLL_MILLIS, id -> poll(source, deadline, ready));
    }
  }

  @Override
  public boolean publishedElsewhere(StreamKey key) {
    return service.sourceOf(key).map(registry::isLive).orElse(false);
  }

  @Override
  public void wanted(StreamKey key) {
    // The transcoder's own watch subscribes too: it finds its transcoder running, and asks nothing.
    service.sourceOf(key).ifPresent(source -> {
      if (!service.running(source)) {
        ask(source);
      } else {
        asked.put(source, System.nanoTime());
      }
    });
  }

  @Override
  public void unwanted(StreamKey key) {
  }

  /** Stops each transcoder nobody asked for within the linger and whose renditions only its watches hold. */
  private void checkIdle() {
    long now = System.nanoTime();
    for (StreamKey source : List.copyOf(asked.keySet())) {
      Long last = asked.get(source);
      if (!service.running(source)) {
        asked.remove(source);
      } else if (last != null && now - last > lingerNanos) {
        List<Future<Optional<StreamInfo>>> infos = new ArrayList<>();
        for (Rendition r : service.ladder()) {
          infos.add(registry.info(new StreamKey(source.app(), r.streamName(source.name()))));
        }
        Future.all(infos).onSuccess(all -> {
          boolean watched = infos.stream().map(Future::result).flatMap(Optional::stream)
              .anyMatch(info -> info.subscribers() > 1);
          if (watched) {
            asked.put(source, System.nanoTime());
          } else if (asked.remove(source, last)) {
            LOG.info("transcode {}: no request for {} ms", source, lingerNanos / 1_000_000);
            service.stopIdle(source);
          }
        });
      }
    }
  }
}
