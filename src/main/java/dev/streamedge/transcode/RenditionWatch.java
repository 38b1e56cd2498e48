package dev.streamedge.transcode;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.stream.StreamSubscriber;
import dev.streamedge.stream.Subscription;
import io.vertx.core.Context;
import java.util.List;
import java.util.function.Consumer;

/**
 * Measures one rendition stream for the master playlist: a subscriber that only feeds a
 * {@link VariantMeter}, holding no packet. On the origin, where the rendition is published; it is no
 * viewer, so it pulls nothing from anywhere.
 */
final class RenditionWatch implements StreamSubscriber {

  private final Context context;
  private final VariantMeter meter = new VariantMeter();
  private final Consumer<MediaPacket> keyframes;
  private volatile boolean live;
  private Subscription subscription;

  /** {@code keyframes} hears each video keyframe, on {@code context}. */
  RenditionWatch(Context context, Consumer<MediaPacket> keyframes) {
    this.context = context;
    this.keyframes = keyframes;
  }

  void start(Subscription subscription) {
    this.subscription = subscription;
  }

  void cancel() {
    if (subscription != null) {
      subscription.cancel();
    }
  }

  boolean live() {
    return live;
  }

  VariantMeter.Reading reading() {
    return meter.reading();
  }

  @Override
  public Context context() {
    return context;
  }

  @Override
  public void attached(List<MediaPacket> startPackets, boolean live) {
    this.live = live;
    startPackets.forEach(meter::packet);
  }

  @Override
  public void packet(MediaPacket packet) {
    meter.packet(packet);
    if (packet.kind() == MediaKind.VIDEO && packet.isSync()) {
      keyframes.accept(packet);
    }
  }

  @Override
  public void published() {
    live = true;
    meter.reset();
  }

  @Override
  public void unpublished() {
    live = false;
  }
}
