package dev.streamedge.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The ffmpeg command lines the tests use as publisher and player. */
public final class Clients {

  private Clients() {
  }

  /** Publishes {@code media} in real time, as {@code ffmpeg -re -i in.flv -c copy -f flv URL}. */
  public static Process publish(String name, Path media, String url) throws Exception {
    return Ffmpeg.start(name, List.of("-re", "-i", media.toString(), "-c", "copy", "-f", "flv", url));
  }

  /** Publishes {@code media} in real time over and over, with timestamps going on, until destroyed. */
  public static Process publishLooping(String name, Path media, String url) throws Exception {
    return Ffmpeg.start(name, List.of("-re", "-stream_loop", "-1", "-i", media.toString(), "-c", "copy", "-f", "flv",
        url));
  }

  /** Plays {@code url} with {@code -c copy} and writes per-packet hashes to {@code out}. */
  public static Process playToHashes(String name, String url, Path out) throws Exception {
    return Ffmpeg.start(name, List.of("-i", url, "-map", "0", "-c", "copy", "-f", "framemd5", "-y", out.toString()));
  }

  public static Path output(String name) throws Exception {
    Path dir = Path.of("target", "test-out");
    Files.createDirectories(dir);
    return dir.resolve(name);
  }
}
