package dev.streamedge.net;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;

/**
 * The one place streamedge uses Vert.x internals. Verticles of different protocols (RTMP, HTTP)
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

  /**
   * {@code value}, completed on {@code caller}'s event loop ({@code caller} null: completed at once).
   * The promise belongs to {@code caller}: a chain may add its listener after the caller completed it
   * (a race), and such a listener runs where the future's context says, which must be the caller's (an
   * HTTP response is written there; Vert.x's strict thread mode refuses it anywhere else).
   */
  public static <T> Future<T> backTo(Context caller, T value) {
    if (caller == null) {
      return Future.succeededFuture(value);
    }
    Promise<T> promise = ((ContextInternal) caller).promise();
    caller.runOnContext(v -> promise.complete(value));
    return promise.future();
  }

  /**
   * {@code future}'s outcome, delivered on {@code caller}'s event loop ({@code caller} null: {@code
   * future} as it is). Not {@code future.transform}: a transformed future belongs to {@code future}'s
   * context, and calls its listeners there.
   */
  public static <T> Future<T> backTo(Context caller, Future<T> future) {
    if (caller == null) {
      return future;
    }
    Promise<T> promise = ((ContextInternal) caller).promise();
    future.onComplete(done -> caller.runOnContext(v -> promise.handle(done)));
    return promise.future();
  }
}
