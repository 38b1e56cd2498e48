package dev.streamedge.http;

import dev.streamedge.config.Durations;
import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.metrics.Metrics;
import dev.streamedge.metrics.Refusal;
import dev.streamedge.net.HttpChannels;
import dev.streamedge.net.HttpDeadlines;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every connection of one HTTP listener passes as it is accepted: the listener's connection
 * limit, the per-address limit, and the request deadlines ({@link HttpDeadlines}). Refusals and
 * expired deadlines are counted in {@code streamedge_connections_refused_total} and logged through a
 * {@link RateLimitedLog}, since they come in storms. One per listener, shared by its verticle
 * instances: any event loop.
 */
public final class HttpConnectionGate implements Handler<HttpConnection> {

  private static final Logger LOG = LoggerFactory.getLogger(HttpConnectionGate.class);
  /** A storm of slow clients or refusals logs a bounded number of lines; the counters count each. */
  private static final RateLimitedLog REFUSED = RateLimitedLog.of(LOG, "http refused");
  private static final RateLimitedLog EXPIRED = RateLimitedLog.of(LOG, "http deadline");

  private final String limitKey;
  private final int maxConnections;
  private final int maxPerAddress;
  private final HttpDeadlines.Timeouts timeouts;
  private final Metrics metrics;
  private final AtomicInteger open = new AtomicInteger();
  /** Open connections by client address, only with a per-address limit; at most maxConnections entries. */
  private final ConcurrentHashMap<String, Integer> byAddress = new ConcurrentHashMap<>();

  /**
   * @param limitKey the config key of {@code maxConnections}, for the log
   * @param maxPerAddress the most connections of one address, 0 for no such limit
   */
  public HttpConnectionGate(String limitKey, int maxConnections, int maxPerAddress, HttpDeadlines.Timeouts timeouts,
      Metrics metrics) {
    this.limitKey = limitKey;
    this.maxConnections = maxConnections;
    this.maxPerAddress = maxPerAddress;
    this.timeouts = timeouts;
    this.metrics = metrics;
  }

  /** The connection just accepted, on its event loop: closed at once past a limit, else watched until it closes. */
  @Override
  public void handle(HttpConnection connection) {
    if (open.incrementAndGet() > maxConnections) {
      open.decrementAndGet();
      refuse(connection, Refusal.LIMIT, limitKey + " (" + maxConnections + ") reached");
      return;
    }
    String address = maxPerAddress > 0 ? connection.remoteAddress().hostAddress() : null;
    if (address != null && !admitFrom(address)) {
      open.decrementAndGet();
      refuse(connection, Refusal.ADDRESS_LIMIT,
          "http.max-connections-per-address (" + maxPerAddress + ") reached for " + address);
      return;
    }
    HttpChannels.whenClosed(connection, () -> {
      open.decrementAndGet();
      if (address != null) {
        byAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
      }
    });
    // The connection's address, not the channel's: behind a PROXY protocol balancer, the client's.
    HttpDeadlines.install(connection, timeouts, (expiry, channelPeer) -> expired(expiry, connection.remoteAddress()));
  }

  /** Connections open now, as counted against the limit. */
  public int open() {
    return open.get();
  }

  private boolean admitFrom(String address) {
    int[] held = new int[1];
    byAddress.compute(address, (a, n) -> {
      held[0] = n == null ? 0 : n;
      return held[0] < maxPerAddress ? held[0] + 1 : n;
    });
    return held[0] < maxPerAddress;
  }

  private void refuse(HttpConnection connection, Refusal reason, String why) {
    metrics.refused(reason);
    REFUSED.warn("refused {}: {}", connection.remoteAddress(), why);
    connection.close();
  }

  private void expired(HttpDeadlines.Expiry expiry, SocketAddress peer) {
    String client = String.valueOf(peer);
    switch (expiry) {
      case HEADER -> {
        metrics.refused(Refusal.HEADER_TIMEOUT);
        EXPIRED.warn("closed {}: no whole request head within http.header-timeout ({})", client,
            Durations.format(timeouts.header()));
      }
      case BODY -> {
        metrics.refused(Refusal.BODY_TIMEOUT);
        EXPIRED.warn("closed {}: no whole request body within http.body-timeout ({})", client,
            Durations.format(timeouts.body()));
      }
      case IDLE -> {
        // Routine: a player that left without closing. Counted, not logged.
        metrics.refused(Refusal.IDLE_TIMEOUT);
        LOG.debug("closed {}: idle for http.idle-timeout", client);
      }
    }
  }
}
