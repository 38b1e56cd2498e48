package dev.streamedge.metrics;

import dev.streamedge.session.Protocol;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of one ingest protocol (RTMP, RTMPS): publishers now and bytes received. Resolved once
 * per protocol when the node starts; used from every event loop.
 */
public final class PublisherMeters {

  private final AtomicInteger publishers = new AtomicInteger();
  private final Counter receivedBytes;
  private final Counter dataDropped;

  PublisherMeters(MeterRegistry registry, Protocol protocol) {
    Gauge.builder("streamedge.publishers", publishers, AtomicInteger::get)
        .description("Publishers sending a stream to this node now")
        .tag(Metrics.PROTOCOL, protocol.label())
        .register(registry);
    receivedBytes = Counter.builder("streamedge.received")
        .baseUnit("bytes")
        .description("Bytes received from clients, by protocol")
        .tag(Metrics.PROTOCOL, protocol.label())
        .register(registry);
    dataDropped = Counter.builder("streamedge.publisher.data.dropped")
        .description("Script data messages (onMetaData, cue points) of publishers not passed on to players:"
            + " larger than rtmp.max-metadata-size, or beyond rtmp.max-metadata-per-second")
        .tag(Metrics.PROTOCOL, protocol.label())
        .register(registry);
  }

  public void publisherStarted() {
    publishers.incrementAndGet();
  }

  public void publisherStopped() {
    publishers.decrementAndGet();
  }

  /** A publisher's script data message was dropped for its size or rate. */
  public void dataDropped() {
    dataDropped.increment();
  }

  /** Bytes read from a socket of this protocol, whoever sent them. */
  public void received(long bytes) {
    receivedBytes.increment(bytes);
  }
}
