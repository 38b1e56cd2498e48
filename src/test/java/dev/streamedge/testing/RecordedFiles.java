package dev.streamedge.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What ffmpeg 8 reads from recording files: the packets' hashes, the last timestamp, a clean decode. */
public final class RecordedFiles {

  private RecordedFiles() {
  }

  /** The {@code .flv} files under {@code dir} (one level of app directories), oldest name first. */
  public static List<Path> in(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir, 2)) {
      return files.filter(f -> f.toString().endsWith(".flv")).sorted().toList();
    }
  }

  /** The per-packet hashes of {@code files} one after the other, as ffmpeg reads them with {@code -c copy}. */
  public static FrameHashes hashes(List<Path> files) throws Exception {
    List<String> video = new ArrayList<>();
    List<String> audio = new ArrayList<>();
    for (Path file : files) {
      FrameHashes one = FrameHashes.ofFile(file);
      video.addAll(one.video());
      audio.addAll(one.audio());
    }
    return new FrameHashes(video, audio);
  }

  /** The largest packet timestamp in {@code file}, in seconds, as ffmpeg's framemd5 lists them. */
  public static double lastTimestampSeconds(Path file) throws Exception {
    Path out = Clients.output(file.getFileName() + ".timestamps.framemd5");
    Ffmpeg.run("timestamps-" + file.getFileName(), List.of("-i", file.toString(), "-map", "0", "-c", "copy",
        "-f", "framemd5", "-y", out.toString()), 60);
    double last = -1;
    for (String line : Files.readAllLines(out)) {
      if (!line.startsWith("#") && !line.isBlank()) {
        // stream_index, dts, pts, duration, size, hash; FLV's time base is 1/1000
        last = Math.max(last, Long.parseLong(line.split(",")[2].trim()) / 1000.0);
      }
    }
    return last;
  }

  /**
   * Decodes {@code file} to its end; fails when ffmpeg cannot (a last tag torn by a crash is reported
   * but tolerated, as players tolerate it).
   */
  public static void assertPlays(Path file) throws Exception {
    Ffmpeg.run("play-" + file.getFileName(), List.of("-v", "error", "-i", file.toString(), "-f", "null", "-"), 60);
  }

  /** Decodes every frame of {@code file}; fails when ffmpeg reports any error. */
  public static void assertDecodesCleanly(Path file) throws Exception {
    Ffmpeg.run("decode-" + file.getFileName(), List.of("-v", "error", "-xerror", "-i", file.toString(), "-f", "null",
        "-"), 60);
  }
}
