package dev.streamedge.rtmp.server;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's account of heap held in partly received RTMP messages ({@code rtmp.max-incomplete-bytes}),
 * shared by the connections of every event loop, each through its {@link Holder}.
 *
 * <p>When a connection needs more than is left, someone must go, and it should not be a client that
 * is sending: stalled messages are the attack, and a live publisher's frame takes milliseconds. So the
 * holder whose oldest partly received message started more than {@link #STALLED_NANOS} ago, and
 * earliest, is closed to make room. When no holder is stalled, the one holding the most goes; either
 * way the connection asking is refused only when it is that holder itself.
 *
 * <p>Cost: a change of a connection's holding is one atomic add on the node's total, and nothing when
 * it holds the same after a read as before. The scan over all holders happens only when the budget is
 * exhausted. Lock-free: holders are changed by their own event loop, and taken over by another one
 * only through an atomic swap when they are evicted.
 */
final class IncompleteBudget {

  /**
   * A message incomplete for this long counts as stalled: a live stream's frames arrive within
   * milliseconds, so a message that has waited a second is one its sender does not finish.
   */
  static final long STALLED_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** What became of a change of holding. */
  enum Verdict {
    /** It is on the account. */
    HELD,
    /** The budget is short and this connection is the one to go: it stalls longest or holds most. */
    REFUSED,
    /** Another connection evicted this one to make room; it must close. */
    EVICTED
  }

  /** A holder whose bytes are no longer on the account: evicted, refused or closed. */
  private static final long GONE = -1;

  private final long max;
  private final AtomicLong total = new AtomicLong();
  private final Set<Holder> holders = ConcurrentHashMap.newKeySet();

  IncompleteBudget(long max) {
    this.max = max;
  }

  /** Bytes on the account now. */
  long total() {
    return total.get();
  }

  /** Opens the account of a new connection; {@code onEvicted} may run on any thread. */
  Holder open(Runnable onEvicted) {
    Holder holder = new Holder(onEvicted);
    holders.add(holder);
    return holder;
  }

  /** The holder to close when the budget is short, by the rule in the class comment. */
  private Holder victim() {
    long now = System.nanoTime();
    Holder stalled = null;
    long stalledSince = 0;
    Holder biggest = null;
    long biggestBytes = 0;
    for (Holder holder : holders) {
      long bytes = holder.held.get();
      if (bytes <= 0) {
        continue;
      }
      long since = holder.oldestNanos;
      if (now - since >= STALLED_NANOS && (stalled == null || since - stalledSince < 0)) {
        stalled = holder;
        stalledSince = since;
      }
      if (bytes > biggestBytes) {
        biggest = holder;
        biggestBytes = bytes;
      }
    }
    return stalled != null ? stalled : biggest;
  }

  /** One connection's part of the account. Changed only on the connection's own event loop. */
  final class Holder {

    private final AtomicLong held = new AtomicLong();
    /** System.nanoTime() when the oldest message held started; read by other event loops' scans. */
    private volatile long oldestNanos;
    private final Runnable onEvicted;

    private Holder(Runnable onEvicted) {
      this.onEvicted = onEvicted;
    }

    /**
     * The connection now holds {@code bytes} in partly received messages, the oldest of which started
     * at {@code oldestNanos}. On the connection's event loop, after each read.
     */
    Verdict hold(long bytes, long oldestNanos) {
      long had = held.get();
      if (had == GONE) {
        return Verdict.EVICTED;
      }
      if (bytes == had) {
        // The common case, a read that ended between messages as the one before: no shared write.
        if (bytes > 0 && this.oldestNanos != oldestNanos) {
          this.oldestNanos = oldestNanos;
        }
        return Verdict.HELD;
      }
      // Published before the bytes, so that a scan that sees the bytes sees their age.
      this.oldestNanos = oldestNanos;
      if (!held.compareAndSet(had, bytes)) {
        // Only an eviction changes it behind the owner's back.
        return Verdict.EVICTED;
      }
      long delta = bytes - had;
      if (total.addAndGet(delta) <= max || delta < 0) {
        return Verdict.HELD;
      }
      // Each round takes one holder off the account (or finds one that let go meanwhile), so it ends.
      while (total.get() > max) {
        if (held.get() == GONE) {
          return Verdict.EVICTED;
        }
        Holder victim = victim();
        if (victim == this || victim == null) {
          release();
          return Verdict.REFUSED;
        }
        victim.evict();
      }
      return held.get() == GONE ? Verdict.EVICTED : Verdict.HELD;
    }

    /** Takes the holder's bytes off the account for good: when its connection closes. */
    void close() {
      release();
      holders.remove(this);
    }

    private void release() {
      long had = held.getAndSet(GONE);
      if (had > 0) {
        total.addAndGet(-had);
      }
    }

    /** Takes the holder off the account if it still holds something, and tells its connection. */
    private void evict() {
      long had = held.getAndUpdate(h -> h > 0 ? GONE : h);
      if (had > 0) {
        total.addAndGet(-had);
        onEvicted.run();
      }
    }
  }
}
