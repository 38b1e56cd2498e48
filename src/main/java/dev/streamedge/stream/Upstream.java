package dev.streamedge.stream;

/**
 * Where streams not published on this node come from: in a cluster, the other nodes; with
 * {@code relay.pull-on-demand}, other servers. The stream core
 * tells it when a stream gains its first local subscriber and loses its last, and asks it whether a
 * stream that is not live here is live somewhere else; it feeds such streams back through
 * {@link StreamRegistry#relay}.
 */
public interface Upstream {

  /** A single node: nothing comes from anywhere else. */
  Upstream NONE = new Upstream() {
    @Override
    public boolean publishedElsewhere(StreamKey key) {
      return false;
    }

    @Override
    public void wanted(StreamKey key) {
    }

    @Override
    public void unwanted(StreamKey key) {
    }
  };

  /** Whether another node publishes {@code key} now: a lock-free snapshot, callable from any thread. */
  boolean publishedElsewhere(StreamKey key);

  /** {@code key} has its first local subscriber. Called on the stream's home context; must not block. */
  void wanted(StreamKey key);

  /** {@code key} has no local subscriber any more. Called on the stream's home context; must not block. */
  void unwanted(StreamKey key);

  /**
   * The last viewer (a subscriber with a {@link StreamSubscriber#viewerProtocol()}) of {@code key} left,
   * though other subscribers (a packager, a recorder, a relay) may remain. On the stream's home context;
   * must not block.
   */
  default void viewersLeft(StreamKey key) {
  }

  /**
   * A play callback redirected a player of {@code key} to {@code url} (nginx-rtmp's on_play 3xx with an
   * RTMP {@code Location}): the stream is to be pulled from there. On the player's context, before it
   * subscribes; must not block.
   */
  default void redirected(StreamKey key, String url) {
  }

  /** {@code first} and then {@code second}: a stream is elsewhere when either has it; both hear of viewers. */
  static Upstream both(Upstream first, Upstream second) {
    return new Upstream() {
      @Override
      public boolean publishedElsewhere(StreamKey key) {
        return first.publishedElsewhere(key) || second.publishedElsewhere(key);
      }

      @Override
      public void wanted(StreamKey key) {
        first.wanted(key);
        second.wanted(key);
      }

      @Override
      public void unwanted(StreamKey key) {
        first.unwanted(key);
        second.unwanted(key);
      }

      @Override
      public void viewersLeft(StreamKey key) {
        first.viewersLeft(key);
        second.viewersLeft(key);
      }

      @Override
      public void redirected(StreamKey key, String url) {
        first.redirected(key, url);
        second.redirected(key, url);
      }
    };
  }
}
