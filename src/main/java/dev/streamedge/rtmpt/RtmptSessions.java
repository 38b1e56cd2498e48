package dev.streamedge.rtmpt;

import dev.streamedge.config.Durations;
import dev.streamedge.config.RtmptConfig;
import dev.streamedge.metrics.Metrics;
import dev.streamedge.metrics.Refusal;
import dev.streamedge.rtmp.server.RtmpServer;
import dev.streamedge.session.Protocol;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every RTMPT session of the node, by id: at most {@code rtmpt.max-sessions}, each closed after
 * {@code rtmpt.session-timeout} without a request by one timer for the whole node (not one per
 * session). Ids are 128 random bits, so a session cannot be guessed. Any thread; each session is
 * touched only on its own context.
 */
public final class RtmptSessions {

  private static final int ID_BYTES = 16;
  private static final long REAP_PERIOD_MS = 500;

  private final Vertx vertx;
  private final RtmptConfig config;
  private final RtmpServer rtmp;
  private final Metrics metrics;
  private final ConcurrentHashMap<String, RtmptSession> sessions = new ConcurrentHashMap<>();
  private final AtomicInteger open = new AtomicInteger();
  private final SecureRandom random = new SecureRandom();
  private final Counter requests;
  private final long timeoutNanos;
  private final String timeout;
  private long reaper = -1;

  public RtmptSessions(Vertx vertx, RtmptConfig config, RtmpServer rtmp, Metrics metrics) {
    this.vertx = vertx;
    this.config = config;
    this.rtmp = rtmp;
    this.metrics = metrics;
    this.requests = metrics.rtmpt(open::get);
    this.timeoutNanos = config.sessionTimeout().toNanos();
    this.timeout = Durations.format(config.sessionTimeout());
  }

  /** Starts reaping silent sessions. */
  public void start() {
    reaper = vertx.setPeriodic(Math.min(REAP_PERIOD_MS, config.sessionTimeout().toMillis() / 2), id -> reap());
  }

  /** Sessions open now, as counted against {@code rtmpt.max-sessions}. */
  public int open() {
    return open.get();
  }

  /** The extra ports that serve RTMPT alone. */
  public java.util.List<Integer> ports() {
    return config.portList();
  }

  /**
   * Tells every session the node is shutting down (its players go, its publishers may stay); completes
   * when all have closed or {@code drainTime} has passed.
   */
  public Future<Void> drain(Duration drainTime) {
    sessions.values().forEach(session -> session.context().runOnContext(v -> session.drain()));
    Promise<Void> drained = Promise.promise();
    long deadline = System.nanoTime() + drainTime.toNanos();
    vertx.setPeriodic(100, id -> {
      if (open.get() == 0 || System.nanoTime() > deadline) {
        vertx.cancelTimer(id);
        drained.tryComplete();
      }
    });
    return drained.future();
  }

  public void stop() {
    if (reaper >= 0) {
      vertx.cancelTimer(reaper);
    }
  }

  /**
   * Opens a session on {@code context} (the current one) for a client at {@code peer}, carrying
   * {@code protocol} (RTMPT, or RTMPTS over HTTPS); null when
   * {@code rtmpt.max-sessions} are open.
   */
  RtmptSession open(Context context, String peer, String address, Protocol protocol) {
    if (open.incrementAndGet() > config.maxSessions()) {
      open.decrementAndGet();
      metrics.refused(Refusal.LIMIT);
      return null;
    }
    RtmptSession session;
    do {
      byte[] id = new byte[ID_BYTES];
      random.nextBytes(id);
      session = new RtmptSession(this, HexFormat.of().formatHex(id), context, peer, address, protocol);
    } while (sessions.putIfAbsent(session.id(), session) != null);
    RtmptSession opened = session;
    // The RTMP connection gives the session back when it closes; closed() below is idempotent.
    rtmp.open(session, context, () -> closed(opened));
    return session;
  }

  RtmptSession get(String id) {
    return sessions.get(id);
  }

  /** The session closed: it leaves the table and frees its place. Idempotent. */
  void closed(RtmptSession session) {
    if (sessions.remove(session.id(), session)) {
      open.decrementAndGet();
    }
  }

  void countRequest() {
    requests.increment();
  }

  void reaped() {
    metrics.refused(Refusal.SESSION_TIMEOUT);
  }

  Vertx vertx() {
    return vertx;
  }

  long fullMark() {
    return config.maxQueuedBytes().bytes() / 2;
  }

  long maxQueuedBytes() {
    return config.maxQueuedBytes().bytes();
  }

  long maxRequestBody() {
    return config.maxRequestBody().bytes();
  }

  long idleWaitMillis() {
    return config.idleWait().toMillis();
  }

  private void reap() {
    long now = System.nanoTime();
    sessions.values().forEach(session -> {
      if (now - session.lastRequestNanos() > timeoutNanos) {
        session.context().runOnContext(v -> session.reapIfSilent(timeoutNanos, timeout));
      }
    });
  }
}
