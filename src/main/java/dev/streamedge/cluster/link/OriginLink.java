package dev.streamedge.cluster.link;

import dev.streamedge.media.MediaPacket;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamSubscriber;
import dev.streamedge.stream.Subscription;
import io.vertx.core.Context;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Consumer;

/**
 * The origin's end of one pull: a subscriber of the local stream, on behalf of one edge node, that
 * sends each packet once to that node through a {@link CreditWindow}. However many viewers the edge
 * has, this is the stream's only copy towards it.
 */
final class OriginLink implements StreamSubscriber {

  private final Context context;
  private final EventBus bus;
  private final String edge;
  private final String address;
  private final long link;
  private final StreamKey key;
  private final CreditWindow window;
  private final Consumer<MediaFrame> send;
  private Subscription subscription;
  private long sentBytes;

  OriginLink(Context context, EventBus bus, String edge, long link, StreamKey key, long windowBytes) {
    this.context = context;
    this.bus = bus;
    this.edge = edge;
    this.address = LinkAddresses.edge(edge);
    this.link = link;
    this.key = key;
    this.window = new CreditWindow(link, windowBytes);
    this.send = frame -> {
      sentBytes += frame.size();
      bus.send(address, frame);
    };
  }

  void start(Subscription held) {
    this.subscription = held;
  }

  void close() {
    subscription.cancel();
  }

  void acknowledged(long bytes) {
    window.acknowledged(bytes);
  }

  String edge() {
    return edge;
  }

  StreamKey key() {
    return key;
  }

  /** Frame body bytes sent to the edge so far. */
  long sentBytes() {
    return sentBytes;
  }

  /** Packets the edge did not get because it was out of credit. */
  long skipped() {
    return window.skipped();
  }

  @Override
  public Context context() {
    return context;
  }

  @Override
  public void attached(List<MediaPacket> startPackets, boolean live) {
    if (live) {
      event(LinkAddresses.PUBLISHED);
    }
    for (MediaPacket packet : startPackets) {
      window.offer(packet, send);
    }
  }

  @Override
  public void packet(MediaPacket packet) {
    window.offer(packet, send);
  }

  @Override
  public void published() {
    event(LinkAddresses.PUBLISHED);
  }

  @Override
  public void unpublished() {
    event(LinkAddresses.UNPUBLISHED);
  }

  private void event(String name) {
    bus.send(address, new JsonObject().put("link", link).put(LinkAddresses.EVENT, name)
        .put(LinkAddresses.FRAMES, window.framesSent()));
  }
}
