package dev.streamedge.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What ffmpeg 8 reads from recording files: the packets' hashes, the last timestamp, a clean decode. */
public final class RecordedFiles {

  private RecordedFiles() {
  }

  /** The {@code .flv} and {@code .mp4} files under {@code dir} (one level of app directories), oldest name first. */
  public static List<Path> in(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir, 2)) {
      return files.filter(f -> f.toString().endsWith(".flv") || f.toString().endsWith(".mp4")).sorted().toList();
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
    Map<String, Double> timeBase = new HashMap<>();
    for (String line : Files.readAllLines(out)) {
      if (line.startsWith("#tb ")) {
        // "#tb 0: 1/90000": each stream's time base (FLV's is 1/1000, MP4's the track's timescale)
        String[] parts = line.substring("#tb ".length()).split(":");
        String[] fraction = parts[1].trim().split("/");
        timeBase.put(parts[0].trim(), Double.parseDouble(fraction[0]) / Double.parseDouble(fraction[1]));
      } else if (!line.startsWith("#") && !line.isBlank()) {
        // stream_index, dts, pts, duration, size, hash
        String[] fields = line.split(",");
        last = Math.max(last, Long.parseLong(fields[2].trim()) * timeBase.get(fields[0].trim()));
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
