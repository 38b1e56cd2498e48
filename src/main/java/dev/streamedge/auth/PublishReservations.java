package dev.streamedge.auth;

import java.util.Optional;

/**
 * Stream names reserved for publishers inside the node, which decide their publishes before the app's
 * rules do: the renditions of a transcoded stream, which only its own ffmpeg may publish.
 */
public interface PublishReservations {

  PublishReservations NONE = request -> Optional.empty();

  /** The decision for a publish of a reserved name; empty when the name is not reserved. Any thread, at once. */
  Optional<AuthDecision> decide(AuthRequest request);
}
