package dev.streamedge.rtsp.client;

import io.vertx.core.Vertx;
import java.util.function.LongConsumer;

/**
 * The two clocks of a play session, on its context: the silence bound, from the connect on (a server that takes
 * the connection and never answers, or a source that stops sending, holds nothing here for long), and the
 * keep-alives once it plays (RFC 2326 §12.37: a request within the session's timeout keeps it).
 */
final class Liveness {

  private final Vertx vertx;
  private final long silenceMillis;
  private long lastNanos = System.nanoTime();
  private long silenceTimer = -1;
  private long keepAliveTimer = -1;

  Liveness(Vertx vertx, long silenceMillis) {
    this.vertx = vertx;
    this.silenceMillis = silenceMillis;
  }

  /**
   * Starts the silence bound: {@code silent} hears how long nothing came once it is past the bound. Looked at four
   * times per bound: a silent source is dropped after the bound to 1.25 times it.
   */
  void watch(LongConsumer silent) {
    lastNanos = System.nanoTime();
    silenceTimer = vertx.setPeriodic(Math.max(1, silenceMillis / 4), id -> {
      long millis = (System.nanoTime() - lastNanos) / 1_000_000;
      if (millis >= silenceMillis) {
        silent.accept(millis);
      }
    });
  }

  /** Something counted as a sign of life came; returns now, in milliseconds, as the arrival time of media. */
  long heard() {
    lastNanos = System.nanoTime();
    return lastNanos / 1_000_000;
  }

  /** Sends a keep-alive every half of the session's timeout, as ffmpeg and live555 do, from now on. */
  void keepAlive(int sessionTimeoutSeconds, Runnable send) {
    keepAliveTimer = vertx.setPeriodic(Math.max(1000, sessionTimeoutSeconds * 1000L / 2), id -> send.run());
  }

  void stop() {
    if (keepAliveTimer >= 0) {
      vertx.cancelTimer(keepAliveTimer);
    }
    if (silenceTimer >= 0) {
      vertx.cancelTimer(silenceTimer);
    }
  }
}
