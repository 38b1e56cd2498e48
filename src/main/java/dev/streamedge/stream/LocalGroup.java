package dev.streamedge.stream;

import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.net.EventLoops;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The subscribers of one stream that live on one event loop. The stream hands each packet to the
 * group once, on {@link #context}; the group hands it to each member on that same thread, switching to
 * the member's own context when the member belongs to another verticle. So a packet crosses to each
 * event loop once, not once per player or per protocol.
 *
 * <p>Members that merge writes ({@link StreamSubscriber#mergeWrite()}) get the packets held back and
 * then all together, as one {@link PacketBatch} per delay that is shared by all of them: a player in
 * step with live then costs one write per batch instead of one per packet.
 *
 * <p>The group keeps its own copy of what a joining player needs first (metadata, sequence headers and
 * the GOP, as references to the shared packets), built from the packets it is handed. A player that
 * joins on a loop whose group already has members starts from that copy at once, on its own loop, with
 * no hop to the stream's home and back; the copy matches the stream's because the group gets every
 * packet, session start and end in the stream's order.
 *
 * <p>{@code members}, {@code immediate} and the start copy are touched only on the group's event loop;
 * the member arrays are replaced, never mutated, so a member that leaves while a packet is being handed
 * out does not disturb the iteration.
 * {@code homeCount} is touched only on the stream's home context.
 */
final class LocalGroup {

  private static final RateLimitedLog FAILURE_LOG =
      RateLimitedLog.of(LoggerFactory.getLogger(LocalGroup.class), "subscriber failure");

  /** A member, with what handing it a packet needs worked out once. */
  private static final class Member {
    final StreamSubscriber subscriber;
    final boolean local;
    final Handler<MediaPacket> packetHandler;
    final MergeWrite mergeWrite;
    /** The first held packet this member has not had yet: those before it came with its start packets. */
    int from;

    Member(StreamSubscriber subscriber, boolean local, int from) {
      this.subscriber = subscriber;
      this.local = local;
      this.packetHandler = subscriber::packet;
      this.mergeWrite = subscriber.mergeWrite();
      this.from = from;
    }

    boolean merging() {
      return mergeWrite.merging();
    }
  }

  private static final Member[] NONE = new Member[0];

  /** The context packets are handed over on: the home context for the home loop's group. */
  final Context context;
  /** The event loop of {@link #context}. */
  final Object loop;
  int homeCount;
  private Member[] members = NONE;
  /** The members that take each packet as it comes: all but the merging ones. */
  private Member[] immediate = NONE;
  /** Packets held for the merging members: at most one merge delay of the stream, and mergeMaxBytes. */
  private final List<MediaPacket> held = new ArrayList<>();
  private long heldBytes;
  /** The members that merge (the rest of {@link #members}). */
  private Member[] merging = NONE;
  /** The shortest fixed merge delay of the merging members. */
  private long mergeMillis;
  /** The smallest budget of the merging members ({@code player.max-added-latency}), 0 when none adapts. */
  private long budgetMillis;
  private long quietWritesPerSecond = Long.MAX_VALUE;
  /** This loop's load, while the group has members that adapt; set on the group's loop. */
  private LoopLoad load;
  /** The smallest byte bound of the merging members. */
  private long mergeMaxBytes;
  private boolean releaseScheduled;

  /** The start copy: set from the first joiner's start packets, then kept up with every packet. */
  private boolean seeded;
  private boolean live;
  private final MetaCache meta = new MetaCache();
  private final GopCache gop;

  LocalGroup(Context context, long gopMaxBytes, int gopMaxFrames) {
    this.context = context;
    this.loop = EventLoops.loopOf(context);
    this.gop = new GopCache(gopMaxBytes, gopMaxFrames);
  }

  /**
   * Whether a subscriber on this group's loop can join here at once. Only while the group has members:
   * the stream's home then counts this loop as subscribed and neither drops the group nor closes, for
   * it hears of the join before it hears of any of those members leaving.
   */
  boolean joinable() {
    return seeded && members.length > 0;
  }

  /** Adds a subscriber of this loop from the start copy, without the stream's home. */
  void join(StreamSubscriber subscriber) {
    add(subscriber, gop.startPackets(meta), live);
  }

  /**
   * Adds a subscriber with the start packets the stream's home took for it. The first of them also
   * seeds the start copy: the home registered this group in the same step, so every later packet
   * comes after.
   */
  void add(StreamSubscriber subscriber, List<MediaPacket> startPackets, boolean live) {
    if (!seeded) {
      seeded = true;
      this.live = live;
      startPackets.forEach(this::keep);
    }
    // What is held now was already in the stream when the start packets were taken.
    Member member = new Member(subscriber, subscriber.context() == context, held.size());
    Member[] next = Arrays.copyOf(members, members.length + 1);
    next[members.length] = member;
    setMembers(next);
    onOwnContext(member, () -> subscriber.attached(startPackets, live));
  }

  void remove(StreamSubscriber subscriber) {
    for (int i = 0; i < members.length; i++) {
      if (members[i].subscriber == subscriber) {
        Member[] next = new Member[members.length - 1];
        System.arraycopy(members, 0, next, 0, i);
        System.arraycopy(members, i + 1, next, i, members.length - i - 1);
        setMembers(next);
        return;
      }
    }
  }

  void packet(MediaPacket packet) {
    // Until the first player joins here, the start packets it will be given hold this packet too.
    if (seeded) {
      keep(packet);
    }
    handOver(immediate, packet);
    if (merging.length == 0) {
      return;
    }
    long delay = mergeMillis;
    if (budgetMillis > 0) {
      // Per packet and group, never per player: a counter and a clock read.
      long decided = load.delivered(members.length, System.nanoTime(), budgetMillis, quietWritesPerSecond);
      if (!releaseScheduled) {
        delay = Math.max(mergeMillis, decided);
      }
    }
    if (delay == 0 && held.isEmpty() && !releaseScheduled) {
      // A quiet loop: the merging members get it now, in this turn, like the others.
      handOver(merging, packet);
      return;
    }
    held.add(packet);
    heldBytes += packet.size();
    if (heldBytes >= mergeMaxBytes) {
      release();
    } else if (!releaseScheduled) {
      releaseScheduled = true;
      EventLoops.setTimer(context, delay, this::scheduledRelease);
    }
  }

  private void handOver(Member[] to, MediaPacket packet) {
    for (Member member : to) {
      if (member.local) {
        try {
          member.subscriber.packet(packet);
        } catch (RuntimeException failed) {
          failed(member, failed);
        }
      } else {
        EventLoops.dispatch(member.subscriber.context(), packet, member.packetHandler);
      }
    }
  }

  void published() {
    live = true;
    forgetSession();
    release();
    for (Member member : members) {
      onOwnContext(member, member.subscriber::published);
    }
  }

  /** A new publisher took over: its packets follow, and it starts with configurations of its own. */
  void restarted() {
    forgetSession();
  }

  void unpublished() {
    live = false;
    forgetSession();
    release();
    for (Member member : members) {
      onOwnContext(member, member.subscriber::unpublished);
    }
  }

  /** Keeps a packet in the start copy as the stream keeps it in its meta and GOP caches. */
  private void keep(MediaPacket packet) {
    if (packet.isConfig()) {
      meta.put(packet);
    } else {
      gop.add(packet);
    }
  }

  private void forgetSession() {
    meta.clear();
    gop.clear();
  }

  private void scheduledRelease() {
    releaseScheduled = false;
    release();
  }

  /** Hands what is held to the merging members, before anything else reaches them. */
  private void release() {
    if (held.isEmpty()) {
      return;
    }
    PacketBatch batch = new PacketBatch(List.copyOf(held));
    held.clear();
    heldBytes = 0;
    for (Member member : members) {
      if (!member.merging()) {
        continue;
      }
      int from = member.from;
      member.from = 0;
      if (from >= batch.packets().size()) {
        continue;
      }
      if (member.local) {
        try {
          member.subscriber.packets(batch, from);
        } catch (RuntimeException failed) {
          failed(member, failed);
        }
      } else {
        EventLoops.dispatch(member.subscriber.context(), batch, b -> member.subscriber.packets(b, from));
      }
    }
  }

  /**
   * A subscriber failed on a packet (a defect: the packagers and players drop what they cannot read): the members
   * after it on this loop still get the packet, and the failure is logged, as Vert.x would log it.
   */
  private static void failed(Member member, RuntimeException failure) {
    FAILURE_LOG.error("a subscriber ({}) failed on a packet; the others got it", member.subscriber.getClass()
        .getSimpleName(), failure);
  }

  private void setMembers(Member[] next) {
    if (load == null) {
      load = LoopLoad.current();
    }
    load.players(next.length - members.length);
    members = next;
    immediate = Arrays.stream(next).filter(member -> !member.merging()).toArray(Member[]::new);
    merging = Arrays.stream(next).filter(Member::merging).toArray(Member[]::new);
    mergeMillis = Arrays.stream(merging).mapToLong(member -> member.mergeWrite.millis()).min().orElse(0);
    // Any member that adapts makes the group adapt, within the tightest budget of all.
    boolean adaptive = Arrays.stream(merging).anyMatch(member -> member.mergeWrite.adaptive());
    budgetMillis = adaptive
        ? Arrays.stream(merging).mapToLong(member -> member.mergeWrite.budgetMillis()).min().orElse(0)
        : 0;
    quietWritesPerSecond = Arrays.stream(merging).filter(member -> member.mergeWrite.adaptive())
        .mapToLong(member -> member.mergeWrite.quietWritesPerSecond()).min().orElse(Long.MAX_VALUE);
    mergeMaxBytes = Arrays.stream(next).filter(Member::merging).mapToLong(member -> member.mergeWrite.maxBytes()).min()
        .orElse(Long.MAX_VALUE);
  }

  private static void onOwnContext(Member member, Runnable action) {
    if (member.local) {
      action.run();
    } else {
      EventLoops.dispatch(member.subscriber.context(), action, Runnable::run);
    }
  }
}
