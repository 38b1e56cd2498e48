package dev.streamedge.metrics;

import dev.streamedge.session.HlsSessions;
import dev.streamedge.session.Protocol;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.IntSupplier;

/**
 * The meters of HLS or MPEG-DASH sessions: the players now, as {@code streamedge_players{protocol="hls"}}
 * (or {@code "dash"}) beside the players that hold a connection, the sessions started, and the players not
 * counted because {@code hls-sessions.max} was reached.
 */
public final class HlsSessionMeters implements HlsSessions.Events {

  private final Counter started;
  private final Counter uncounted;

  /** @param protocol {@link Protocol#HLS} or {@link Protocol#DASH}: the meters' names say which */
  HlsSessionMeters(MeterRegistry registry, Protocol protocol) {
    String name = protocol == Protocol.DASH ? "MPEG-DASH" : "HLS";
    started = Counter.builder("streamedge." + protocol.label() + ".sessions.started")
        .description(name + " sessions started: players told apart by hls_ctx, or by address and user agent")
        .register(registry);
    uncounted = Counter.builder("streamedge." + protocol.label() + ".sessions.uncounted")
        .description(name + " requests of a new player not counted because hls-sessions.max sessions were held")
        .register(registry);
  }

  static void registerPlayers(MeterRegistry registry, Protocol protocol, IntSupplier sessions) {
    Gauge.builder("streamedge.players", sessions::getAsInt)
        .description("Players connected now")
        .tag(Metrics.PROTOCOL, protocol.label())
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
