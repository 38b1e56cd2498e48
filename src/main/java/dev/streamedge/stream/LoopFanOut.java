package dev.streamedge.stream;

import dev.streamedge.media.MediaPacket;
import dev.streamedge.net.EventLoops;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * A stream's {@link LocalGroup}s, one per event loop with subscribers, and the way to them from the
 * stream's home context: home's own group is called directly, every other loop's by a task on that
 * loop (one hop per packet per loop, not per subscriber).
 *
 * <p>Changed on home only; {@link #joinable} reads the published array from any loop.
 */
final class LoopFanOut {

  private static final LocalGroup[] NO_GROUPS = new LocalGroup[0];

  private final Context home;
  private final Object homeLoop;
  /** Groups by event loop (not by context: several verticles share a loop). */
  private final Map<Object, LocalGroup> groups = new HashMap<>();
  /** Written on home only; read from any loop by {@link #joinable}. */
  private volatile LocalGroup[] fanout = NO_GROUPS;

  LoopFanOut(Context home) {
    this.home = home;
    this.homeLoop = EventLoops.loopOf(home);
  }

  /** Whether {@code loop} is home's own event loop. */
  boolean isHomeLoop(Object loop) {
    return loop == homeLoop;
  }

  /** The group of {@code subscriberContext}'s loop, made (and published to other loops) when it has none yet. */
  LocalGroup groupFor(Context subscriberContext, long gopMaxBytes, int gopMaxFrames) {
    Object loop = EventLoops.loopOf(subscriberContext);
    LocalGroup group = groups.get(loop);
    if (group == null) {
      // The home loop's group is handed packets directly on the home context, other loops' by a hop.
      group = new LocalGroup(loop == homeLoop ? home : subscriberContext, gopMaxBytes, gopMaxFrames);
      groups.put(loop, group);
      // Filled, then published: joinable reads the array from other loops, and once saw the slot
      // still null between the volatile write and the store into it (a NullPointerException that lost
      // a subscription, in LiveStreamTest's race rounds on CI).
      LocalGroup[] next = Arrays.copyOf(fanout, fanout.length + 1);
      next[next.length - 1] = group;
      fanout = next;
    }
    return group;
  }

  /** The group of {@code loop}, or null. Home only. */
  LocalGroup group(Object loop) {
    return groups.get(loop);
  }

  /** Forgets {@code loop}'s group, its last subscriber gone. Home only. */
  void remove(Object loop) {
    groups.remove(loop);
    fanout = groups.values().toArray(NO_GROUPS);
  }

  /**
   * The group of {@code loop} when a subscriber there can join it at once, else null. Runs on that
   * loop: it reads the group's own state, and only the published array of home's.
   */
  LocalGroup joinable(Object loop) {
    for (LocalGroup group : fanout) {
      if (group.loop == loop) {
        return group.joinable() ? group : null;
      }
    }
    return null;
  }

  /** Hands {@code packet} to every group: the per-packet path, so no lambda for home's own group. */
  void packet(MediaPacket packet) {
    for (LocalGroup group : fanout) {
      if (group.context == home) {
        group.packet(packet);
      } else {
        hop(group.context, v -> group.packet(packet));
      }
    }
  }

  /** Runs {@code action} for every group, on its loop. */
  void forEach(Consumer<LocalGroup> action) {
    for (LocalGroup group : fanout) {
      if (group.context == home) {
        action.accept(group);
      } else {
        hop(group.context, v -> action.accept(group));
      }
    }
  }

  /** How many loops have subscribers. */
  int loops() {
    return fanout.length;
  }

  /**
   * Runs {@code action} on {@code context}, another event loop's, as a task. Event loops stop only when
   * the node closes, and a hop to one that already stopped is dropped: what lived there went with it.
   * Thrown instead, it failed whatever made the hop (an RTMP publisher's "internal error" at shutdown).
   */
  static void hop(Context context, Handler<Void> action) {
    try {
      context.runOnContext(action);
    } catch (RejectedExecutionException closing) {
      // dropped, as said above
    }
  }
}
