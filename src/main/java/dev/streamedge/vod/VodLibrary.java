package dev.streamedge.vod;

import dev.streamedge.config.VodConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The apps played from files and how many plays read at once: a play's name becomes a file of its app's
 * directory (nginx-rtmp's names: {@code movie} and {@code movie.flv} are both {@code movie.flv}), and a
 * play takes a place of {@code vod.max-sessions} while it reads. Shared by every event loop.
 */
public final class VodLibrary {

  private static final String FLV = ".flv";

  private final Map<String, Path> directories;
  private final int maxSessions;
  private final AtomicInteger sessions = new AtomicInteger();

  public VodLibrary(VodConfig config) {
    this.directories = config.directories();
    this.maxSessions = config.maxSessions();
  }

  /** Whether plays in {@code app} are files. */
  public boolean serves(String app) {
    return directories.containsKey(app);
  }

  /**
   * The file a play of {@code name} in {@code app} reads, or null when the app has no directory. A name
   * without {@code .flv} gets it: ffmpeg takes it off the URL's name, and recordings' names hold other dots
   * ({@code cam1-20261202T135527.123Z}). {@code name} is a valid stream name, so it holds no separator and
   * cannot leave the directory.
   */
  public Path file(String app, String name) {
    Path directory = directories.get(app);
    if (directory == null) {
      return null;
    }
    boolean flv = name.regionMatches(true, name.length() - FLV.length(), FLV, 0, FLV.length());
    return directory.resolve(flv ? name : name + FLV);
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
