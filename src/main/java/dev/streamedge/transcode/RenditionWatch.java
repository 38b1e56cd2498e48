package dev.streamedge.transcode;

import dev.streamedge.media.MediaPacket;
import dev.streamedge.stream.StreamSubscriber;
import dev.streamedge.stream.Subscription;
import io.vertx.core.Context;
import java.util.List;

/**
 * Measures one rendition stream for the master playlist: a subscriber that only feeds a
 * {@link VariantMeter}, holding no packet. On the origin, where the rendition is published; it is no
 * viewer, so it pulls nothing from anywhere.
 */
final class RenditionWatch implements StreamSubscriber {

  private final Context context;
  private final VariantMeter meter = new VariantMeter();
  private volatile boolean live;
  private Subscription subscription;

  RenditionWatch(Context context) {
    this.context = context;
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
