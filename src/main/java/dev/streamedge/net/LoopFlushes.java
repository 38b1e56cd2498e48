package dev.streamedge.net;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;

/**
 * The {@link WriteMerger}s of one event loop that hold media not flushed yet, flushed together by one
 * task at the end of the turn. With a task per merger, a packet to N players of a loop queued N tasks,
 * each an entry in the loop's task queue (which allocates as it grows); with this, one. Holds each
 * merger at most once, so never more than the loop's connections. Used on its loop only.
 */
public final class LoopFlushes {

  private final Object loop;
  private final Runnable task = this::flushAll;
  private ArrayList<WriteMerger> pending = new ArrayList<>();
  /** The list being flushed, swapped with {@link #pending}: mergers written during the flush wait for the next. */
  private ArrayList<WriteMerger> flushing = new ArrayList<>();
  private boolean scheduled;
  private EventExecutor executor;

  /** For the mergers of sockets on {@code loop} (see {@link EventLoops#loopOf}). */
  public LoopFlushes(Object loop) {
    this.loop = loop;
  }

  /** Whether {@code executor} is this list's loop: a merger of another loop must flush by itself. */
  boolean runsOn(EventExecutor executor) {
    return executor == loop;
  }

  /** Flushes {@code merger} at the end of this turn, with the others. */
  void add(WriteMerger merger, EventExecutor executor) {
    pending.add(merger);
    this.executor = executor;
    schedule();
  }

  private void schedule() {
    if (!scheduled) {
      scheduled = true;
      executor.execute(task);
    }
  }

  private void flushAll() {
    scheduled = false;
    ArrayList<WriteMerger> now = pending;
    pending = flushing;
    flushing = now;
    int done = 0;
    try {
      while (done < now.size()) {
        now.get(done++).deferredFlush();
      }
    } finally {
      // Should a flush throw, the mergers after it go to the next task instead of waiting for ever.
      for (int i = done; i < now.size(); i++) {
        pending.add(now.get(i));
      }
      now.clear();
      if (!pending.isEmpty()) {
        schedule();
      }
    }
  }
}
