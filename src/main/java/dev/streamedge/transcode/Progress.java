package dev.streamedge.transcode;

/** Reads the values of ffmpeg's {@code -progress} lines; a value ffmpeg has not measured yet reads 0. */
final class Progress {

  private Progress() {
  }

  /** {@code 1.02x} as 1.02; {@code N/A} and anything else unreadable as 0. */
  static double speed(String value) {
    String number = value.trim();
    if (number.endsWith("x")) {
      number = number.substring(0, number.length() - 1);
    }
    try {
      double speed = Double.parseDouble(number);
      return Double.isFinite(speed) && speed >= 0 ? speed : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** A count such as {@code frame=1234}; 0 when unreadable. */
  static long count(String value) {
    try {
      return Math.max(0, Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
