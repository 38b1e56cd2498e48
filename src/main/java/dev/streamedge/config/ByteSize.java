package dev.streamedge.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An amount of memory in bytes, written in the config as plain bytes ({@code 1048576}) or with a
 * binary unit ({@code 512KiB}, {@code 4MiB}, {@code 1GiB}; one space before the unit is allowed). Decimal units (KB, MB) are refused on
 * purpose: their meaning (1000 or 1024) is a guess either way.
 */
public record ByteSize(long bytes) {

  private static final Pattern TEXT = Pattern.compile("(\\d{1,18}) ?(KiB|MiB|GiB)?", Pattern.CASE_INSENSITIVE);
  private static final long KIB = 1L << 10;
  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;

  public ByteSize {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative byte size " + bytes);
    }
  }

  public static ByteSize ofKiB(long kib) {
    return new ByteSize(Math.multiplyExact(kib, KIB));
  }

  public static ByteSize ofMiB(long mib) {
    return new ByteSize(Math.multiplyExact(mib, MIB));
  }

  public static ByteSize ofGiB(long gib) {
    return new ByteSize(Math.multiplyExact(gib, GIB));
  }

  /**
   * Parses {@code 1048576}, {@code 512KiB}, {@code 4MiB} or {@code 1GiB} (units case-insensitive).
   *
   * @throws IllegalArgumentException for anything else, or a size beyond a long
   */
  public static ByteSize parse(String text) {
    Matcher m = TEXT.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a byte size: " + text);
    }
    long number = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
    long factor = switch (unit) {
      case "kib" -> KIB;
      case "mib" -> MIB;
      case "gib" -> GIB;
      default -> 1;
    };
    try {
      return new ByteSize(Math.multiplyExact(number, factor));
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("byte size too large: " + text, e);
    }
  }

  /** The shortest exact form, the way the config file writes it: {@code 4MiB}, {@code 1536KiB}, {@code 100}. */
  @Override
  public String toString() {
    if (bytes == 0) {
      return "0";
    }
    if (bytes % GIB == 0) {
      return bytes / GIB + "GiB";
    }
    if (bytes % MIB == 0) {
      return bytes / MIB + "MiB";
    }
    if (bytes % KIB == 0) {
      return bytes / KIB + "KiB";
    }
    return Long.toString(bytes);
  }
}
