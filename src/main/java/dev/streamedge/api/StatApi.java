package dev.streamedge.api;

import dev.streamedge.metrics.Metrics;
import dev.streamedge.session.ClientInfo;
import dev.streamedge.session.ClientRegistry;
import dev.streamedge.session.ClientRole;
import dev.streamedge.stream.StreamInfo;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamRegistry;
import io.vertx.ext.web.RoutingContext;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code GET /stat}: nginx-rtmp's statistics page ({@link NginxStat}), for what was written against
 * nginx-rtmp's {@code rtmp_stat}. Bandwidths out are measured between requests, as nginx-rtmp measures
 * them over its intervals: each reads the bytes sent since the last sample at least a second old, so the
 * first request after a quiet while reads 0.
 */
final class StatApi {

  private static final long SAMPLE_NANOS = 1_000_000_000L;
  /** The key of the node's own totals among the streams' in a sample. */
  private static final StreamKey NODE_IN = new StreamKey("-", "in");
  private static final StreamKey NODE_OUT = new StreamKey("-", "out");

  private final StreamRegistry registry;
  private final ClientRegistry clients;
  private final Metrics metrics;
  private final String version;
  private final AtomicReference<Sample> last = new AtomicReference<>(new Sample(System.nanoTime(), Map.of(), Map.of()));

  StatApi(StreamRegistry registry, ClientRegistry clients, Metrics metrics) {
    this.registry = registry;
    this.clients = clients;
    this.metrics = metrics;
    String implementation = StatApi.class.getPackage().getImplementationVersion();
    this.version = implementation == null ? "dev" : implementation;
  }

  /**
   * Byte counts at one time, and the bits per second from the sample before it.
   *
   * @param bytes bytes so far, per stream sent to its players, and the node's in and out
   * @param bitsPerSecond from the sample before this one to this one
   */
  private record Sample(long nanos, Map<StreamKey, Long> bytes, Map<StreamKey, Long> bitsPerSecond) {
  }

  void get(RoutingContext ctx) {
    Replies.when(ctx, registry.infos().compose(streams -> clients.infos().map(all -> {
      long now = System.nanoTime();
      Map<StreamKey, Long> bytes = new HashMap<>();
      for (ClientInfo client : all) {
        if (client.role() == ClientRole.PLAYER && client.stream() != null) {
          bytes.merge(client.stream(), client.bytesOut(), Long::sum);
        }
      }
      long bytesIn = metrics.receivedBytes();
      long bytesOut = metrics.sentBytes();
      bytes.put(NODE_IN, bytesIn);
      bytes.put(NODE_OUT, bytesOut);
      Map<StreamKey, Long> rates = rates(now, bytes);
      long uptime = ManagementFactory.getRuntimeMXBean().getUptime() / 1000;
      NginxStat.Node node = new NginxStat.Node(version, ProcessHandle.current().pid(), uptime, clients.accepted(),
          bytesIn, bytesOut, rates.getOrDefault(NODE_IN, 0L), rates.getOrDefault(NODE_OUT, 0L));
      return NginxStat.xml(node, List.copyOf(streams), all, rates, System.currentTimeMillis());
    })), xml -> ctx.response()
        .putHeader("Content-Type", "text/xml")
        .putHeader("Cache-Control", "no-store")
        .end(xml));
  }

  /**
   * The bits per second of each count: from the last sample when it is at least a second old (and this
   * one becomes the last), else the last sample's own. A count that went down (its players left) reads 0.
   * Lock-free: of two requests at once, one sample wins and both answer from a valid one.
   */
  private Map<StreamKey, Long> rates(long now, Map<StreamKey, Long> bytes) {
    Sample before = last.get();
    if (now - before.nanos() < SAMPLE_NANOS) {
      return before.bitsPerSecond();
    }
    double seconds = (now - before.nanos()) / 1e9;
    Map<StreamKey, Long> rates = new HashMap<>();
    bytes.forEach((key, count) -> {
      Long then = before.bytes().get(key);
      if (then != null) {
        rates.put(key, Math.max(0, Math.round((count - then) * 8 / seconds)));
      }
    });
    last.compareAndSet(before, new Sample(now, Map.copyOf(bytes), Map.copyOf(rates)));
    return rates;
  }
}
