package dev.streamedge.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one config key accepts, as a test on the text the operator wrote and as the phrase that
 * error messages and the help show.
 *
 * @param label the option's parameter label in the help, like {@code <int>}
 * @param allowed what is allowed, finishing the message "... is not allowed: " + allowed
 * @param accepts whether the text is an allowed value
 */
public record Rule(String label, String allowed, Predicate<String> accepts) {

  private static final Pattern UNSIGNED = Pattern.compile("\\d{1,10}");
  // A name or IPv4 address, or an IPv6 address in brackets, then the port.
  private static final Pattern MEMBER = Pattern.compile("([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]):(\\d{1,5})");
  private static final String DURATION_UNITS = " (units ms, s, m, h)";

  /** Unparsable text (any {@link IllegalArgumentException} from a parser) is simply not allowed. */
  public Rule {
    Predicate<String> test = accepts;
    accepts = text -> {
      try {
        return test.test(text);
      } catch (IllegalArgumentException e) {
        return false;
      }
    };
  }

  static Rule integer(long min, long max) {
    return new Rule("<int>", "an integer from " + min + " to " + max,
        text -> UNSIGNED.matcher(text).matches() && inRange(Long.parseLong(text), min, max));
  }

  static Rule duration(Duration min, Duration max) {
    return new Rule("<duration>", durationRange(min, max) + DURATION_UNITS,
        text -> within(Durations.parse(text), min, max));
  }

  /** A duration where zero switches the feature off and small non-zero values would be a mistake. */
  static Rule offOrDuration(Duration min, Duration max) {
    return new Rule("<duration>", "0 (off) or " + durationRange(min, max) + DURATION_UNITS,
        text -> {
          Duration d = Durations.parse(text);
          return d.isZero() || within(d, min, max);
        });
  }

  static Rule byteSize(ByteSize min, ByteSize max) {
    return new Rule("<size>", "a size from " + min + " to " + max + " (bytes, or with unit KiB, MiB, GiB)",
        text -> inRange(ByteSize.parse(text).bytes(), min.bytes(), max.bytes()));
  }

  static Rule oneOf(List<String> names) {
    return new Rule("<" + String.join("|", names) + ">", "one of " + String.join(", ", names), names::contains);
  }

  /** A value safe to put in an HTTP header: no control characters, so no header injection. */
  static Rule headerValue() {
    return new Rule("<text>", "text without control characters, or \"\" for none",
        text -> text.chars().noneMatch(Character::isISOControl));
  }

  /** Application names separated by commas, or * for every app, or "" for none. */
  static Rule appList() {
    return new Rule("<apps>", "\"\", *, or app names (A-Z a-z 0-9 . _ ~ -) separated by commas",
        text -> text.isEmpty() || text.equals("*") || text.matches("[A-Za-z0-9._~-]+(,[A-Za-z0-9._~-]+)*"));
  }

  static Rule bool() {
    return oneOf(List.of("true", "false"));
  }

  /** A duration the cluster manager can take, which counts in whole seconds. */
  static Rule wholeSeconds(Duration min, Duration max) {
    return new Rule("<duration>", "whole seconds from " + Durations.format(min) + " to " + Durations.format(max)
        + DURATION_UNITS, text -> {
          Duration d = Durations.parse(text);
          return d.toMillisPart() == 0 && within(d, min, max);
        });
  }

  /** Cluster members to join by TCP: {@code host:port} items separated by commas, or "" for none. */
  static Rule memberList() {
    return new Rule("<host:port,...>", "\"\", or host:port items (port 1 to 65535) separated by commas",
        text -> text.isEmpty() || Arrays.stream(text.split(",", -1)).allMatch(Rule::isMember));
  }

  static Rule optionalHost() {
    return new Rule("<host>", "a host name or IP address, or \"\" for none",
        text -> text.chars().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)));
  }

  static Rule host() {
    return new Rule("<host>", "a host name or IP address", text -> !text.isEmpty() && text.chars().noneMatch(Character::isWhitespace));
  }

  /** A path the server will open later: checked now so a typo stops the start, not the first TLS client. */
  static Rule optionalReadableFile() {
    return new Rule("<file>", "a readable file, or \"\" for none",
        text -> text.isEmpty() || (Files.isRegularFile(Path.of(text)) && Files.isReadable(Path.of(text))));
  }

  private static boolean isMember(String item) {
    Matcher m = MEMBER.matcher(item);
    return m.matches() && inRange(Long.parseLong(m.group(2)), 1, 65535);
  }

  private static String durationRange(Duration min, Duration max) {
    return "a duration from " + Durations.format(min) + " to " + Durations.format(max);
  }

  private static boolean within(Duration d, Duration min, Duration max) {
    return d.compareTo(min) >= 0 && d.compareTo(max) <= 0;
  }

  private static boolean inRange(long value, long min, long max) {
    return value >= min && value <= max;
  }
}
