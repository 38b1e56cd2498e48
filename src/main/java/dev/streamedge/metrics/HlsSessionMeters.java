package dev.streamedge.metrics;

import dev.streamedge.session.HlsSessions;
import dev.streamedge.session.Protocol;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.IntSupplier;

/**
 * The meters of HLS sessions: the players now, as {@code streamedge_players{protocol="hls"}} beside the
 * players that hold a connection, the sessions started, and the players not counted because
 * {@code hls-sessions.max} was reached.
 */
public final class HlsSessionMeters implements HlsSessions.Events {

  private final Counter started;
  private final Counter uncounted;

  HlsSessionMeters(MeterRegistry registry) {
    started = Counter.builder("streamedge.hls.sessions.started")
        .description("HLS sessions started: players told apart by hls_ctx, or by address and user agent")
        .register(registry);
    uncounted = Counter.builder("streamedge.hls.sessions.uncounted")
        .description("HLS requests of a new player not counted because hls-sessions.max sessions were held")
        .register(registry);
  }

  static void registerPlayers(MeterRegistry registry, IntSupplier sessions) {
    Gauge.builder("streamedge.players", sessions::getAsInt)
        .description("Players connected now")
        .tag(Metrics.PROTOCOL, Protocol.HLS.label())
        .register(registry);
  }

  @Override
  public void started() {
    started.increment();
  }

  @Override
  public void uncounted() {
    uncounted.increment();
  }
}
