package dev.streamedge.cluster;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a cluster node does with streams: a load balancer sends publishers to origins, viewers to edges. */
public enum ClusterRole {
  /** Takes publishers; its viewers see only the streams published on it. */
  ORIGIN,
  /** Refuses publishers; pulls every stream its viewers ask for from the stream's origin. */
  EDGE,
  /** Both: a publish makes it a stream's origin, a viewer of a stream published elsewhere makes it pull. */
  BOTH;

  /** The name written in the config; Jackson binds by it too. */
  @JsonValue
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean publishes() {
    return this != EDGE;
  }

  public boolean pulls() {
    return this != ORIGIN;
  }
}
