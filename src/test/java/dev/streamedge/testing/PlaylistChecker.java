package dev.streamedge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keeps every media playlist a test fetched from one stream, in order, and holds them all to
 * {@code src/test/hls-check/check.mjs}: videojs' m3u8-parser (npm) plus the RFC 8216bis rules it does
 * not enforce (part durations within PART-TARGET, one preload hint, constant TARGETDURATION, monotonic
 * media sequence, PART-HOLD-BACK at least three part targets). {@code scripts/test} installs it.
 */
public final class PlaylistChecker {

  private static final Path DIR = Path.of("src", "test", "hls-check");

  private final Path out;
  private final List<Path> files = new ArrayList<>();

  public PlaylistChecker(String name) throws IOException {
    this.out = Path.of("target", "test-out", "playlists-" + name);
    Files.createDirectories(out);
  }

  /** Keeps {@code playlist}; {@code label} says what was asked (it names the file). */
  public synchronized void add(String label, String playlist) throws IOException {
    Path file = out.resolve(String.format("%04d-%s.m3u8", files.size(), label.replaceAll("[^A-Za-z0-9_=.-]", "_")));
    Files.writeString(file, playlist);
    files.add(file);
  }

  public synchronized int count() {
    return files.size();
  }

  /** Runs the checker over every kept playlist and fails with its problems. */
  public synchronized void assertAllValid() throws Exception {
    if (!Files.isDirectory(DIR.resolve("node_modules").resolve("m3u8-parser"))) {
      throw new IllegalStateException("the playlist checker is not installed: run ./scripts/test, or `npm ci` in "
          + DIR);
    }
    assertThat(files).as("playlists fetched").isNotEmpty();
    List<String> command = new ArrayList<>(List.of(System.getenv().getOrDefault("NODE", "node"),
        DIR.resolve("check.mjs").toString()));
    files.forEach(f -> command.add(f.toString()));
    Path result = out.resolve("check.json");
    Process process = new ProcessBuilder(command).redirectOutput(result.toFile())
        .redirectError(out.resolve("check.log").toFile()).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      ChildProcesses.kill(process);
      throw new IllegalStateException("check.mjs did not finish in 60 s");
    }
    String json = Files.readString(result);
    assertThat(json).as("check.mjs over %d playlists (exit %d, see %s)", files.size(), process.exitValue(), out)
        .startsWith("{\"ok\":true,");
  }
}
