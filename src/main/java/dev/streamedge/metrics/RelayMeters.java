package dev.streamedge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of one push relay target, tagged {@code target} with the target's label (its URL up to the
 * app, no stream key): one set per {@code relay.push} item, made at start, so the label's values are
 * as many as the config's items. Every stream pushed to the target adds to them. Used from any event
 * loop: counters and an atomic gauge only.
 */
public final class RelayMeters {

  static final String TARGET = "target";

  private final AtomicInteger connected;
  private final Counter sentBytes;
  private final Counter reconnects;
  private final Counter droppedFrames;

  RelayMeters(MeterRegistry registry, String target, AtomicInteger connected) {
    this.connected = connected;
    this.sentBytes = Counter.builder("streamedge.relay.push")
        .baseUnit("bytes")
        .description("Bytes sent to push relay targets (RTMP chunks, headers included)")
        .tag(TARGET, target)
        .register(registry);
    this.reconnects = Counter.builder("streamedge.relay.push.reconnects")
        .description("Connections to push relay targets that dropped or failed and are tried again")
        .tag(TARGET, target)
        .register(registry);
    this.droppedFrames = Counter.builder("streamedge.relay.push.dropped.frames")
        .description("Frames not sent to a push relay target that fell behind (skipped to the next keyframe)")
        .tag(TARGET, target)
        .register(registry);
    Gauge.builder("streamedge.relay.push.connected", connected::get)
        .description("Streams pushed to the target now, connected and publishing")
        .tag(TARGET, target)
        .register(registry);
  }

  public void connected() {
    connected.incrementAndGet();
  }

  public void disconnected() {
    connected.decrementAndGet();
  }

  public void sent(long bytes) {
    sentBytes.increment(bytes);
  }

  public void reconnect() {
    reconnects.increment();
  }

  public void dropped(long frames) {
    droppedFrames.increment(frames);
  }
}
