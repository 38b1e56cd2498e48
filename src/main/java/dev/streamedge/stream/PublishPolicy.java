package dev.streamedge.stream;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What happens when a second publisher arrives for a stream name that already has one. */
public enum PublishPolicy {
  /** The new publisher replaces the old one, which is disconnected: a restarted encoder just works. */
  TAKEOVER,
  /** The new publisher is refused while the old one is connected. */
  REJECT;

  /** The name written in the config; Jackson binds by it too. */
  @JsonValue
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
