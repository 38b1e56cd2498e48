package dev.streamedge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The meters of the pulls from one source, tagged {@code source} with a label that the config bounds:
 * a {@code relay.pull} item's URL up to its last slash, a {@code relay.pull-on-demand} template's, or
 * {@code on_play} for pulls that a play callback redirected (their URLs come from outside). Used from
 * any event loop: counters only.
 */
public final class PullMeters {

  static final String SOURCE = "source";

  private final Counter messages;
  private final Counter reconnects;

  PullMeters(MeterRegistry registry, String source) {
    this.messages = Counter.builder("streamedge.relay.pull.messages")
        .description("Audio, video and data messages received by pulls from the source")
        .tag(SOURCE, source)
        .register(registry);
    this.reconnects = Counter.builder("streamedge.relay.pull.reconnects")
        .description("Pull connections to the source that dropped, were refused or timed out, each tried again")
        .tag(SOURCE, source)
        .register(registry);
  }

  public void message() {
    messages.increment();
  }

  public void reconnect() {
    reconnects.increment();
  }
}
