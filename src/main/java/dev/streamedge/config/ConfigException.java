package dev.streamedge.config;

/**
 * The configuration cannot be used. The message is the single line the operator sees before the
 * start is refused, so it names the key and what would have been allowed.
 */
public final class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message, null, false, false);
  }

  /** The standard message for a value a key does not accept. */
  static ConfigException notAllowed(String key, String shownValue, String allowed) {
    return new ConfigException("config key " + key + ": " + shownValue + " is not allowed: " + allowed);
  }
}
