package dev.streamedge.config;

import dev.streamedge.stream.StreamNames;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Files played on demand, as nginx-rtmp's {@code play} directive in an {@code application} block.
 *
 * @param apps {@code app=directory} items separated by semicolons ({@code vod=/srv/flv; rec=recordings/live}):
 *     a play in such an app names an FLV or MP4 file of its directory; "" for none
 * @param maxSessions files played at once on the node
 * @param maxIndexSize the largest MP4 index (its {@code moov} box) a play holds in memory; a file with a larger
 *     one is refused
 */
public record VodConfig(String apps, int maxSessions, ByteSize maxIndexSize) {

  /** Each app played from files, with its directory. */
  public Map<String, Path> directories() {
    return parseDirectories(apps);
  }

  /**
   * Reads {@code text} as {@link #apps} says.
   *
   * @throws IllegalArgumentException when an item is not app=directory, an app is not a name or comes twice,
   *     or a directory is empty or has control characters
   */
  static Map<String, Path> parseDirectories(String text) {
    Map<String, Path> directories = new LinkedHashMap<>();
    for (String item : text.split(";", -1)) {
      if (item.isBlank()) {
        continue;
      }
      int eq = item.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("not app=directory: " + item.trim());
      }
      String app = item.substring(0, eq).trim();
      String directory = item.substring(eq + 1).trim();
      if (!StreamNames.valid(app)) {
        throw new IllegalArgumentException("not an app name: " + app);
      }
      if (directory.isEmpty() || directory.chars().anyMatch(Character::isISOControl)) {
        throw new IllegalArgumentException(app + ": not a directory: " + directory);
      }
      if (directories.put(app, Path.of(directory)) != null) {
        throw new IllegalArgumentException(app + " comes twice");
      }
    }
    return Map.copyOf(directories);
  }
}
