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
    return new ConfigException("config key " + key + ": " + escapeControls(shownValue) + " is not allowed: " + allowed);
  }

  /** Keeps the message on one line whatever the value holds. */
  private static String escapeControls(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> {
      switch (c) {
        case '\r' -> out.append("\\r");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isISOControl(c)) {
            out.append(String.format("\\u%04x", c));
          } else {
            out.appendCodePoint(c);
          }
        }
      }
    });
    return out.toString();
  }
}
