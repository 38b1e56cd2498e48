package dev.streamedge.stream;

import dev.streamedge.media.MediaPacket;
import io.vertx.core.Context;
import java.util.Arrays;
import java.util.List;

/**
 * The subscribers of one stream that live on one event loop. The stream hands each packet to the
 * group once; the group hands it to its members on their own thread, so a packet crosses to each
 * event loop once, not once per player.
 *
 * <p>{@code members} is touched only on {@link #context}; it is replaced, never mutated, so a member
 * that leaves while a packet is being handed out does not disturb the iteration.
 * {@code homeCount} is touched only on the stream's home context.
 */
final class LocalGroup {

  private static final StreamSubscriber[] NONE = new StreamSubscriber[0];

  final Context context;
  int homeCount;
  private StreamSubscriber[] members = NONE;

  LocalGroup(Context context) {
    this.context = context;
  }

  void add(StreamSubscriber subscriber, List<MediaPacket> startPackets, boolean live) {
    StreamSubscriber[] next = Arrays.copyOf(members, members.length + 1);
    next[members.length] = subscriber;
    members = next;
    subscriber.attached(startPackets, live);
  }

  void remove(StreamSubscriber subscriber) {
    for (int i = 0; i < members.length; i++) {
      if (members[i] == subscriber) {
        StreamSubscriber[] next = new StreamSubscriber[members.length - 1];
        System.arraycopy(members, 0, next, 0, i);
        System.arraycopy(members, i + 1, next, i, members.length - i - 1);
        members = next;
        return;
      }
    }
  }

  void packet(MediaPacket packet) {
    for (StreamSubscriber member : members) {
      member.packet(packet);
    }
  }

  void published() {
    for (StreamSubscriber member : members) {
      member.published();
    }
  }

  void unpublished() {
    for (StreamSubscriber member : members) {
      member.unpublished();
    }
  }
}
