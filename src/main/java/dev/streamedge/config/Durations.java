package dev.streamedge.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the config writes them: a whole number with one unit, {@code 500ms}, {@code 5s},
 * {@code 2m}, {@code 1h}; a bare {@code 0} is accepted too because zero needs no unit.
 */
public final class Durations {

  private static final Pattern TEXT = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  private Durations() {
  }

  /** @throws IllegalArgumentException if the text is not a number with one of the units ms, s, m, h */
  public static Duration parse(String text) {
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = TEXT.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a duration: " + text);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  /** The largest unit that states the duration exactly, so messages read {@code 5m}, not {@code 300000ms}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0";
    }
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
