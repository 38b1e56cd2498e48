package dev.streamedge.session;

import dev.streamedge.config.HlsSessionsConfig;
import dev.streamedge.stream.StreamKey;
import io.vertx.core.Vertx;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * HLS viewers counted as sessions. HLS is plain HTTP requests, with no connection to count: a session is
 * a player that keeps reloading a stream's live playlist, and it ends when its reloads stop for
 * {@code hls-sessions.timeout}. A player is told apart by the {@value #QUERY} query parameter when its URL
 * carries one (the dashboard's player adds a random one, as SRS's {@code hls_ctx} does), else by its
 * address and user agent: players behind one NAT with the same browser count once, and behind a CDN each
 * of the CDN's servers that fetch from this node counts once (docs/metrics.md).
 *
 * <p>Bounded: at most {@code hls-sessions.max} sessions are held; a player past them is not counted, and
 * the miss is ({@link Events#uncounted()}). Requests from any event loop update the table without a lock;
 * the counts per stream are recomputed once a second, on one context, when expired sessions are dropped.
 */
public final class HlsSessions {

  /** The query parameter that names a player's session, as SRS names it. */
  public static final String QUERY = "hls_ctx";
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{6,64}");
  private static final long SWEEP_MS = 1000;

  /** What the meters hear. */
  public interface Events {
    void started();

    void uncounted();

    Events NONE = new Events() {
      @Override
      public void started() {
      }

      @Override
      public void uncounted() {
      }
    };
  }

  /**
   * What tells one player's session from another's: a stream and the player's token, or else its address
   * and its user agent's hash. A record, not a string built per request: every playlist reload looks its
   * session up (with the address formatted at every call, the hook was a quarter of a playlist request's
   * own time in a profile of 2000 players, half of it the key's concatenation and hashing; bench/RESULTS.md).
   */
  private record Id(StreamKey stream, String token, String address, int agent) {
  }

  private static final class Session {
    final StreamKey stream;
    volatile long lastSeenNanos;

    Session(StreamKey stream, long now) {
      this.stream = stream;
      this.lastSeenNanos = now;
    }
  }

  private final boolean enabled;
  private final int max;
  private final long timeoutNanos;
  private final Events events;
  private final ConcurrentHashMap<Id, Session> sessions = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();
  private volatile Map<StreamKey, Integer> counts = Map.of();
  private volatile int total;

  public HlsSessions(Vertx vertx, HlsSessionsConfig config, Events events) {
    this.enabled = config.enabled();
    this.max = config.max();
    this.timeoutNanos = config.timeout().toNanos();
    this.events = events;
    if (enabled) {
      vertx.setPeriodic(SWEEP_MS, id -> sweep(System.nanoTime()));
    }
  }

  /** Whether HLS viewers are counted; when not, the API says {@code "hls": null}. */
  public boolean enabled() {
    return enabled;
  }

  /**
   * A playlist request of {@code stream}: {@code token} is the {@value #QUERY} parameter
   * (or null), {@code address} the client's IP address and {@code userAgent} its header (or null). Any thread.
   */
  public void seen(StreamKey stream, String token, String address, String userAgent) {
    if (!enabled) {
      return;
    }
    long now = System.nanoTime();
    Id key = token != null && TOKEN.matcher(token).matches()
        ? new Id(stream, token, null, 0)
        : new Id(stream, null, address, userAgent == null ? 0 : userAgent.hashCode());
    Session session = sessions.get(key);
    if (session != null) {
      session.lastSeenNanos = now;
      return;
    }
    if (size.incrementAndGet() > max) {
      size.decrementAndGet();
      events.uncounted();
      return;
    }
    Session existing = sessions.putIfAbsent(key, new Session(stream, now));
    if (existing != null) {
      size.decrementAndGet();
      existing.lastSeenNanos = now;
    } else {
      events.started();
    }
  }

  /** HLS sessions of {@code stream} at the last count (at most a second old). */
  public int count(StreamKey stream) {
    return counts.getOrDefault(stream, 0);
  }

  /** HLS sessions of the node at the last count. */
  public int total() {
    return total;
  }

  /** Drops the sessions silent for longer than the timeout and counts the rest by stream. */
  void sweep(long now) {
    Map<StreamKey, Integer> byStream = new HashMap<>();
    sessions.entrySet().removeIf(entry -> {
      Session session = entry.getValue();
      if (now - session.lastSeenNanos > timeoutNanos) {
        size.decrementAndGet();
        return true;
      }
      byStream.merge(session.stream, 1, Integer::sum);
      return false;
    });
    counts = Collections.unmodifiableMap(byStream);
    total = byStream.values().stream().mapToInt(Integer::intValue).sum();
  }
}
