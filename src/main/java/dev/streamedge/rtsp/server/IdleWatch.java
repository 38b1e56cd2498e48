package dev.streamedge.rtsp.server;

import io.vertx.core.Vertx;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * When an RTSP connection counts as idle ({@code rtsp.idle-timeout}): one that neither plays nor records must
 * complete a request within the timeout of its last one (slowloris included); one that records must have sent
 * something within each timeout, looked at once per timeout rather than a timer per packet; one that plays is
 * watched by its player's queue instead. On the connection's context.
 */
final class IdleWatch {

  private final Vertx vertx;
  private final long timeoutMillis;
  private final Consumer<String> idle;
  private long timer = -1;
  private long seen;

  /** {@code idle} is told why, once the connection is idle. */
  IdleWatch(Vertx vertx, long timeoutMillis, Consumer<String> idle) {
    this.vertx = vertx;
    this.timeoutMillis = timeoutMillis;
    this.idle = idle;
  }

  /** A request came: the next must come within the timeout. */
  void request() {
    cancel();
    timer = vertx.setTimer(timeoutMillis, id -> {
      timer = -1;
      idle.accept("idle for " + timeoutMillis + " ms");
    });
  }

  /** From now, {@code received} (bytes received so far) must grow within each timeout. */
  void receiving(LongSupplier received) {
    cancel();
    seen = received.getAsLong();
    timer = vertx.setPeriodic(timeoutMillis, id -> {
      long now = received.getAsLong();
      if (now == seen) {
        idle.accept("nothing received for " + timeoutMillis + " ms");
      }
      seen = now;
    });
  }

  void cancel() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
