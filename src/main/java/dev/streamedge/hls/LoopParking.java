package dev.streamedge.hls;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The LL-HLS requests of one stream that wait on the HTTP event loops that received them: each loop
 * keeps its own {@link BlockedRequests}, and the packager wakes a loop once per snapshot, not once per
 * request (before, each request went to the stream's HLS context and its answer came back: two tasks
 * queued across threads per request). Bounded by the node-wide counter of blocked requests, and by the
 * HTTP contexts of the node for the per-loop state.
 *
 * <p>A request parks, then looks at the latest snapshot; the packager publishes a snapshot, then looks
 * at which loops have requests parked. Both through volatile fields, so at least one of the two sees
 * the other: no wake-up is lost.
 */
final class LoopParking {

  /** One HTTP context's parked requests of this stream; {@code waiting} written there only. */
  private static final class Loop {
    final Context context;
    final BlockedRequests blocked;
    final AtomicBoolean scheduled = new AtomicBoolean();
    volatile int waiting;

    Loop(Context context, BlockedRequests blocked) {
      this.context = context;
      this.blocked = blocked;
    }
  }

  private final AtomicInteger nodeBlocked;
  private final int maxBlocked;
  private final Map<Context, Loop> loops = new ConcurrentHashMap<>();
  private volatile HlsSnapshot latest;
  /** Set once when packaging stops: the answer of every request that waits or comes after. */
  private volatile HlsReply ended;

  LoopParking(AtomicInteger nodeBlocked, int maxBlocked) {
    this.nodeBlocked = nodeBlocked;
    this.maxBlocked = maxBlocked;
  }

  /**
   * An LL-HLS playlist request seen against {@code seen}, on {@code caller} (an event-loop context);
   * completes there, now or when a later snapshot has what it asks for. See {@link
   * BlockedRequests#playlist}.
   */
  Future<HlsReply> playlist(Context caller, HlsSnapshot seen, long msn, int part, String prefix, boolean skip) {
    Loop loop = loopOf(caller);
    Promise<HlsReply> reply = ((ContextInternal) caller).promise();
    loop.blocked.playlist(seen, msn, part, prefix, skip, reply);
    parked(loop, seen);
    return reply.future();
  }

  /** An LL-HLS part request, as {@link #playlist}; see {@link BlockedRequests#part}. */
  Future<HlsReply> part(Context caller, HlsSnapshot seen, long number) {
    Loop loop = loopOf(caller);
    Promise<HlsReply> reply = ((ContextInternal) caller).promise();
    loop.blocked.part(seen, number, reply);
    parked(loop, seen);
    return reply.future();
  }

  /**
   * The state of {@code caller}'s context. An HTTP request runs on a duplicate of its connection's
   * context, a new one per request: keyed by those, the map would hold one entry per request ever made.
   */
  private Loop loopOf(Context caller) {
    ContextInternal base = ((ContextInternal) caller).unwrap();
    return loops.computeIfAbsent(base, c -> new Loop(c, new BlockedRequests(nodeBlocked, maxBlocked)));
  }

  /** HTTP contexts with state here: at most one per context of the node's HTTP servers. */
  int loops() {
    return loops.size();
  }

  /** After a request parked: a snapshot published since {@code seen} may already answer it. */
  private void parked(Loop loop, HlsSnapshot seen) {
    loop.waiting = loop.blocked.size();
    if (loop.waiting > 0 && (latest != seen || ended != null)) {
      drain(loop);
    }
  }

  /** On the packager's context, after it published {@code snapshot}: wakes the loops that wait. */
  void published(HlsSnapshot snapshot) {
    latest = snapshot;
    wake();
  }

  /** On the packager's context: the stream stalled; every waiting request gets a 503 (RFC 8216bis §6.2.5.2). */
  void stalled() {
    for (Loop loop : loops.values()) {
      if (loop.waiting > 0) {
        loop.context.runOnContext(v -> {
          loop.blocked.answerAll(HlsReply.UNAVAILABLE);
          loop.waiting = 0;
        });
      }
    }
  }

  /** On the packager's context: packaging stopped; waiting and later requests get {@code reply}. */
  void ended(HlsReply reply) {
    ended = reply;
    wake();
  }

  private void wake() {
    for (Loop loop : loops.values()) {
      if (loop.waiting > 0 && loop.scheduled.compareAndSet(false, true)) {
        loop.context.runOnContext(v -> {
          loop.scheduled.set(false);
          drain(loop);
        });
      }
    }
  }

  /** On {@code loop}'s context: answers what the latest snapshot (or the end) answers. */
  private void drain(Loop loop) {
    HlsReply end = ended;
    if (end != null) {
      loop.blocked.answerAll(end);
    } else {
      HlsSnapshot now = latest;
      if (now != null) {
        loop.blocked.progress(now);
      }
    }
    loop.waiting = loop.blocked.size();
  }
}
