package dev.streamedge.net;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.internal.ContextInternal;

/**
 * The one place the stream core uses Vert.x internals. Verticles of different protocols (RTMP, HTTP)
 * have contexts of their own on the same event loops; grouping subscribers by event loop rather than
 * by context lets a packet cross to each loop once, whatever protocols its players use.
 */
public final class EventLoops {

  private EventLoops() {
  }

  /** The event loop (thread) a context runs on. */
  public static Object loopOf(Context context) {
    return ((ContextInternal) context).nettyEventLoop();
  }

  /** Calls {@code action} on {@code context} after {@code delayMillis}. */
  public static void setTimer(Context context, long delayMillis, Runnable action) {
    ((ContextInternal) context).setTimer(delayMillis, id -> action.run());
  }

  /**
   * Calls {@code handler} with {@code context} as the current context. The caller must already run on
   * that context's event loop, which is how a group hands a packet to a member of another verticle.
   */
  public static <E> void dispatch(Context context, E event, Handler<E> handler) {
    ((ContextInternal) context).dispatch(event, handler);
  }
}
