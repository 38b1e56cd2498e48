package dev.streamedge.auth;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What an auth callback counts as when the service cannot answer: down, too slow, or overloaded. */
public enum DownAnswer {
  ALLOW,
  DENY;

  /** The name written in the config; Jackson binds by it too. */
  @JsonValue
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
