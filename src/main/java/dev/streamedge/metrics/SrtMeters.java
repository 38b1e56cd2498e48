package dev.streamedge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.IntSupplier;

/**
 * The SRT listener's transport, without a label per connection: from publishers, data packets received,
 * those that came again after a loss report (retransmitted), the holes found in the sequence (lost), the
 * packets given up on after the latency (dropped, each a hole in the MPEG-TS); to players, data packets
 * sent, sent again (resent) and given up on unacknowledged; and datagrams that were not SRT.
 */
public final class SrtMeters {

  private final MeterRegistry registry;
  private final Counter received;
  private final Counter retransmitted;
  private final Counter lost;
  private final Counter dropped;
  private final Counter malformed;
  private final Counter sent;
  private final Counter resent;
  private final Counter sendDropped;

  SrtMeters(MeterRegistry registry) {
    this.registry = registry;
    this.received = Counter.builder("streamedge.srt.packets.received")
        .description("SRT data packets received from publishers")
        .register(registry);
    this.retransmitted = Counter.builder("streamedge.srt.packets.retransmitted")
        .description("SRT data packets received again after a loss report")
        .register(registry);
    this.lost = Counter.builder("streamedge.srt.packets.lost")
        .description("SRT data packets found missing from the sequence and asked for again")
        .register(registry);
    this.dropped = Counter.builder("streamedge.srt.packets.dropped")
        .description("SRT data packets given up on: still missing after the latency (srt.latency)")
        .register(registry);
    this.malformed = Counter.builder("streamedge.srt.datagrams.malformed")
        .description("Datagrams on the SRT port that are not SRT packets, dropped")
        .register(registry);
    this.sent = Counter.builder("streamedge.srt.packets.sent")
        .description("SRT data packets sent to players for the first time")
        .register(registry);
    this.resent = Counter.builder("streamedge.srt.packets.resent")
        .description("SRT data packets sent to players again after a loss report")
        .register(registry);
    this.sendDropped = Counter.builder("streamedge.srt.packets.send.dropped")
        .description("SRT data packets given up on unacknowledged: older than the larger of the latency and a"
            + " second, or pushed out of a full send buffer (srt.max-buffered-packets)")
        .register(registry);
  }

  /** Registers the gauge of connections; {@code connections} is read at each scrape, from any thread. */
  public void connections(IntSupplier connections) {
    Gauge.builder("streamedge.srt.connections", connections::getAsInt)
        .description("SRT connections now, handshakes waiting for auth included, as counted against"
            + " srt.max-connections")
        .register(registry);
  }

  public void received(long packets) {
    received.increment(packets);
  }

  public void retransmitted(long packets) {
    retransmitted.increment(packets);
  }

  public void lost(long packets) {
    lost.increment(packets);
  }

  public void dropped(long packets) {
    dropped.increment(packets);
  }

  public void malformed() {
    malformed.increment();
  }

  public void sent(long packets) {
    sent.increment(packets);
  }

  public void resent(long packets) {
    resent.increment(packets);
  }

  public void sendDropped(long packets) {
    sendDropped.increment(packets);
  }
}
