package dev.streamedge.stream;

import dev.streamedge.media.MediaPacket;
import java.util.List;

/**
 * A subscriber's hold on a stream. Created and cancelled on the subscriber's context. The stream places
 * it in a group on its home context and then lets it {@link #join} on the subscriber's context; a
 * cancel that comes before the join is settled by the join. When its loop's group already has members,
 * it {@link #joinAtOnce joins at once} instead and the home counts it afterwards.
 */
public final class Subscription {

  private final StreamKey key;
  private final StreamSubscriber subscriber;
  private LiveStream stream;
  private LocalGroup group;
  private boolean cancelled;

  Subscription(StreamKey key, StreamSubscriber subscriber) {
    this.key = key;
    this.subscriber = subscriber;
  }

  StreamSubscriber subscriber() {
    return subscriber;
  }

  /** Runs on the subscriber's context, after the stream counted it in {@code group}. */
  void join(LiveStream stream, LocalGroup group, List<MediaPacket> start, boolean live) {
    this.stream = stream;
    if (cancelled) {
      stream.onHome(() -> stream.unsubscribe(this));
      return;
    }
    this.group = group;
    group.add(subscriber, start, live);
  }

  /**
   * Joins {@code group} on the subscriber's loop from the group's start copy. The home is told first,
   * so it counts this subscriber before it can hear of it leaving.
   */
  void joinAtOnce(LiveStream stream, LocalGroup group) {
    this.stream = stream;
    this.group = group;
    stream.countJoined(subscriber, group);
    group.join(subscriber);
  }

  /** Stops delivery at once; the stream frees its side on its own context. Idempotent. */
  public void cancel() {
    if (cancelled) {
      return;
    }
    cancelled = true;
    if (group != null) {
      group.remove(subscriber);
      stream.onHome(() -> stream.unsubscribe(this));
    }
  }

  public StreamKey key() {
    return key;
  }
}
