package dev.streamedge.stream;

import dev.streamedge.media.MediaPacket;
import io.vertx.core.Context;
import java.util.List;

/**
 * A consumer of one live stream (an RTMP player, later an HTTP-FLV player or an HLS packager). Every
 * method is called on {@link #context()}, in stream order.
 */
public interface StreamSubscriber {

  /** The event loop this subscriber lives on; packets cross to it once per loop, not per subscriber. */
  Context context();

  /**
   * The subscriber is attached. {@code startPackets} holds what a joining player needs to start at
   * once: metadata, sequence headers and the current GOP; {@code live} tells whether a publisher is on.
   */
  void attached(List<MediaPacket> startPackets, boolean live);

  void packet(MediaPacket packet);

  /** How this subscriber's packets may be held back so that they reach it together; by default not at all. */
  default MergeWrite mergeWrite() {
    return MergeWrite.NONE;
  }

  /**
   * The packets held back for a merging subscriber, from index {@code from} on: the ones before it
   * came with its start packets.
   */
  default void packets(PacketBatch batch, int from) {
    List<MediaPacket> packets = batch.packets();
    for (int i = from; i < packets.size(); i++) {
      packet(packets.get(i));
    }
  }

  /** A publisher started (again) on this stream. */
  void published();

  /** The publisher left; the subscriber stays attached and may get a new session later. */
  void unpublished();

  /**
   * The protocol label of the client this subscriber plays to ({@code rtmp}, {@code http-flv}, ...), by
   * which the stream counts its viewers; null for what is not a viewer, like HLS packaging or a link to
   * another node.
   */
  default String viewerProtocol() {
    return null;
  }
}
