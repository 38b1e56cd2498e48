package dev.streamedge.stream;

import io.vertx.core.Future;

/**
 * Decides, beyond this node, whether this node may become the origin of a stream: in a cluster only one
 * node may publish a key at a time. The stream core asks before every publish and tells it when the
 * key no longer has a publisher here, and knows nothing else of how the answer is found.
 */
public interface PublishGate {

  /** A single node is alone: the local publish policy decides everything. */
  PublishGate LOCAL = new PublishGate() {
    @Override
    public Future<Boolean> claim(StreamKey key, String publisher) {
      return Future.succeededFuture(true);
    }

    @Override
    public void release(StreamKey key) {
    }
  };

  /**
   * Claims {@code key} for a publisher on this node. Called on the stream's home context.
   *
   * @param publisher the publisher's address, for the record and for logs
   * @return true when this node may publish the key (the local publish policy still applies), false
   *     when another node publishes it and the policy refuses a second publisher; a failure refuses too
   */
  Future<Boolean> claim(StreamKey key, String publisher);

  /** This node has no publisher of {@code key} any more and no claim for it in flight. */
  void release(StreamKey key);

  /**
   * The publisher of {@code key} on this node sent its sequence headers: {@code video} and {@code audio}
   * describe its codecs, empty for a kind not seen. For the record only; a single node keeps none.
   */
  default void describe(StreamKey key, String video, String audio) {
  }
}
