package dev.streamedge.transcode;

/** Reads the values of ffmpeg's {@code -progress} lines; a value ffmpeg has not measured yet ({@code N/A}) reads 0. */
final class Progress {

  private Progress() {
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
