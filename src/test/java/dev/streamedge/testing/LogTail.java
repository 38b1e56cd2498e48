package dev.streamedge.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The last lines of a client's log, for a failed assertion's message. */
final class LogTail {

  private LogTail() {
  }

  /** The last {@code count} lines of {@code log}, or a note that there is no log. */
  static String of(Path log, int count) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
