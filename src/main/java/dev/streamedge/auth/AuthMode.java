package dev.streamedge.auth;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** How the publishers or players of an app are checked. */
public enum AuthMode {
  /** Anyone may. */
  NONE,
  /** The stream name carries {@code ?key=<k>} with k one of {@code auth.publish-keys}: publishers only. */
  KEYS,
  /** The stream name carries {@code ?sign=<expiry>-<hmac>}, made with the configured secret. */
  SIGN,
  /** The operator's HTTP service answers, nginx-rtmp style ({@code on_publish}, {@code on_play}). */
  CALLBACK;

  /** What {@code auth.publish} may use. */
  public static final Set<AuthMode> PUBLISH_MODES = EnumSet.allOf(AuthMode.class);
  /** What {@code auth.play} may use: a key shared by every viewer would be no secret. */
  public static final Set<AuthMode> PLAY_MODES = EnumSet.of(NONE, SIGN, CALLBACK);

  /** The name written in the config. */
  @JsonValue
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException when {@code name} is no mode */
  public static AuthMode of(String name) {
    for (AuthMode mode : values()) {
      if (mode.configName().equals(name)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("not an auth mode: " + name);
  }
}
