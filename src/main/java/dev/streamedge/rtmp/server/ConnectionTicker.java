package dev.streamedge.rtmp.server;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One periodic timer per context for the deadlines of every RTMP connection on it (handshake, idle
 * publisher, publish-or-play, pings), instead of one timer per connection: ten thousand connections,
 * or a thousand RTMPT sessions, cost one scheduled task per event loop and period, not one each. Used
 * on its context only: no lock.
 */
final class ConnectionTicker {

  private static final String KEY = ConnectionTicker.class.getName();

  private final Vertx vertx;
  private final long periodMillis;
  private final Set<Runnable> members = new LinkedHashSet<>();
  private long timer = -1;

  private ConnectionTicker(Vertx vertx, long periodMillis) {
    this.vertx = vertx;
    this.periodMillis = periodMillis;
  }

  /** The ticker of {@code context}, the current one, made on first use. */
  static ConnectionTicker of(Context context, long periodMillis) {
    ConnectionTicker ticker = context.get(KEY);
    if (ticker == null) {
      ticker = new ConnectionTicker(context.owner(), periodMillis);
      context.put(KEY, ticker);
    }
    return ticker;
  }

  /** Runs {@code tick} every period from now until {@link #remove}. */
  void add(Runnable tick) {
    members.add(tick);
    if (timer < 0) {
      timer = vertx.setPeriodic(periodMillis, id -> tick());
    }
  }

  void remove(Runnable tick) {
    members.remove(tick);
    if (members.isEmpty() && timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void tick() {
    // A tick may close its connection, which removes it: walk a copy, once a period, not the set.
    for (Runnable member : members.toArray(Runnable[]::new)) {
      if (members.contains(member)) {
        member.run();
      }
    }
  }
}
