package dev.streamedge.stream;

import dev.streamedge.media.MediaPacket;
import java.util.List;

/**
 * A subscriber's hold on a stream. Created and cancelled on the subscriber's context. The stream places
 * it in a group on its home context and then lets it {@link #join} on the subscriber's context; a
 * cancel that comes before the join is settled by the join.
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
