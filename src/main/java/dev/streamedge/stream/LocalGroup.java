package dev.streamedge.stream;

import dev.streamedge.media.MediaPacket;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import java.util.Arrays;
import java.util.List;

/**
 * The subscribers of one stream that live on one event loop. The stream hands each packet to the
 * group once, on {@link #context}; the group hands it to each member on that same thread, switching to
 * the member's own context when the member belongs to another verticle. So a packet crosses to each
 * event loop once, not once per player or per protocol.
 *
 * <p>{@code members} is touched only on the group's event loop; it is replaced, never mutated, so a
 * member that leaves while a packet is being handed out does not disturb the iteration.
 * {@code homeCount} is touched only on the stream's home context.
 */
final class LocalGroup {

  /** A member, with what handing it a packet needs worked out once. */
  private record Member(StreamSubscriber subscriber, boolean local, Handler<MediaPacket> packetHandler) {
  }

  private static final Member[] NONE = new Member[0];

  /** The context packets are handed over on: the home context for the home loop's group. */
  final Context context;
  int homeCount;
  private Member[] members = NONE;

  LocalGroup(Context context) {
    this.context = context;
  }

  void add(StreamSubscriber subscriber, List<MediaPacket> startPackets, boolean live) {
    Member member = new Member(subscriber, subscriber.context() == context, subscriber::packet);
    Member[] next = Arrays.copyOf(members, members.length + 1);
    next[members.length] = member;
    members = next;
    onOwnContext(member, () -> subscriber.attached(startPackets, live));
  }

  void remove(StreamSubscriber subscriber) {
    for (int i = 0; i < members.length; i++) {
      if (members[i].subscriber() == subscriber) {
        Member[] next = new Member[members.length - 1];
        System.arraycopy(members, 0, next, 0, i);
        System.arraycopy(members, i + 1, next, i, members.length - i - 1);
        members = next;
        return;
      }
    }
  }

  void packet(MediaPacket packet) {
    for (Member member : members) {
      if (member.local()) {
        member.subscriber().packet(packet);
      } else {
        EventLoops.dispatch(member.subscriber().context(), packet, member.packetHandler());
      }
    }
  }

  void published() {
    for (Member member : members) {
      onOwnContext(member, member.subscriber()::published);
    }
  }

  void unpublished() {
    for (Member member : members) {
      onOwnContext(member, member.subscriber()::unpublished);
    }
  }

  private static void onOwnContext(Member member, Runnable action) {
    if (member.local()) {
      action.run();
    } else {
      EventLoops.dispatch(member.subscriber().context(), action, Runnable::run);
    }
  }
}
