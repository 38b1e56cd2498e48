package dev.streamedge.config;

import java.util.Locale;

/**
 * One configuration key: its dotted name ({@code rtmp.max-message-size}), its built-in default as
 * the config file would write it, what it accepts, and a one-line description for the help.
 */
public record ConfigKey(String name, String defaultValue, Rule rule, String description) {

  static final String ENV_PREFIX = "STREAMEDGE_";

  /** The environment variable that sets this key: {@code rtmp.max-message-size} → {@code STREAMEDGE_RTMP_MAX_MESSAGE_SIZE}. */
  public String envName() {
    return ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The command-line option that sets this key. */
  public String optionName() {
    return "--" + name;
  }
}
