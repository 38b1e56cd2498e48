package dev.streamedge.vod;

import dev.streamedge.config.VodConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The apps played from files and how many plays read at once: a play's name becomes a file of its app's
 * directory (nginx-rtmp's names: {@code movie} and {@code movie.flv} are both {@code movie.flv}; {@code
 * mp4:movie.mp4} and {@code movie.mp4} are {@code movie.mp4}), and a play takes a place of {@code
 * vod.max-sessions} while it reads. Shared by every event loop.
 */
public final class VodLibrary {

  private static final String FLV = ".flv";
  /** Names that keep their extension: FLV, and the MP4 family (ISO/IEC 14496-12 files). */
  private static final List<String> EXTENSIONS = List.of(FLV, ".mp4", ".m4v", ".f4v", ".mov");
  /**
   * The prefixes Flash Media Server's names carry and ffmpeg sends ({@code mp4:} for a URL ending in .mp4 or
   * .f4v): a format, not part of the file's name.
   */
  private static final List<String> PREFIXES = List.of("mp4:", "flv:");

  private final Map<String, Path> directories;
  private final int maxSessions;
  private final int maxIndexBytes;
  private final AtomicInteger sessions = new AtomicInteger();

  public VodLibrary(VodConfig config) {
    this.directories = config.directories();
    this.maxSessions = config.maxSessions();
    this.maxIndexBytes = (int) Math.min(Integer.MAX_VALUE, config.maxIndexSize().bytes());
  }

  /** The largest MP4 index a play holds ({@code vod.max-index-size}). */
  public int maxIndexBytes() {
    return maxIndexBytes;
  }

  /** A play's name without a format prefix ({@code mp4:movie.mp4} is {@code movie.mp4}); others as they are. */
  public static String withoutPrefix(String rawName) {
    for (String prefix : PREFIXES) {
      if (rawName.regionMatches(true, 0, prefix, 0, prefix.length())) {
        return rawName.substring(prefix.length());
      }
    }
    return rawName;
  }

  /** Whether plays in {@code app} are files. */
  public boolean serves(String app) {
    return directories.containsKey(app);
  }

  /**
   * The file a play of {@code name} in {@code app} reads, or null when the app has no directory. A name
   * without an extension of {@link #EXTENSIONS} gets {@code .flv}: ffmpeg takes it off the URL's name, and
   * recordings' names hold other dots ({@code cam1-20261202T135527.123Z}). {@code name} is a valid stream name,
   * so it holds no separator and cannot leave the directory.
   */
  public Path file(String app, String name) {
    Path directory = directories.get(app);
    if (directory == null) {
      return null;
    }
    return directory.resolve(isMediaName(name) ? name : name + FLV);
  }

  /** The extensions of the files this node plays, with their dot: FLV's and the MP4 family's. */
  public static List<String> extensions() {
    return EXTENSIONS;
  }

  /** Whether {@code name} ends with one of {@link #extensions()}, in any case. */
  private static boolean isMediaName(String name) {
    for (String extension : EXTENSIONS) {
      if (name.length() > extension.length()
          && name.regionMatches(true, name.length() - extension.length(), extension, 0, extension.length())) {
        return true;
      }
    }
    return false;
  }

  /** Takes a place for one play; false when all {@code vod.max-sessions} are taken. */
  public boolean admit() {
    while (true) {
      int now = sessions.get();
      if (now >= maxSessions) {
        return false;
      }
      if (sessions.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  /** Gives back the place of a play that ended. */
  public void release() {
    sessions.decrementAndGet();
  }

  /** Plays reading now. */
  public int sessions() {
    return sessions.get();
  }
}
