package dev.streamedge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays a stream in real headless Chromium (Debian's {@code /usr/bin/chromium}, driven by playwright-core)
 * with hls.js, dash.js or mpegts.js, through {@code src/test/browser/play.mjs}. {@code scripts/test} installs
 * Chromium and the npm packages. The script's stderr (page console, network failures) goes to
 * {@code target/browser-logs/<name>.log}, its JSON line to {@code <name>.json}, and a screenshot of the
 * page to {@code <name>.png} when playback fails.
 */
public final class BrowserPlayback {

  public static final String HLS = "hls";
  public static final String MPEGTS = "mpegts";
  /** MPEG-DASH with dash.js. */
  public static final String DASH = "dash";

  private static final Path DIR = Path.of("src", "test", "browser");
  private static final Path LOGS = Path.of("target", "browser-logs");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger RUNS = new AtomicInteger();

  private BrowserPlayback() {
  }

  /**
   * What the page saw. {@code playedSeconds} is the media time actually played (the sum of
   * {@code video.played}), {@code currentTime} the position at the end, which for a live stream may
   * start far from 0. {@code ok} means played at least the asked seconds, no fatal player error and at
   * least one decoded frame. {@code firstFrameMs} is from page start to the first presented frame, -1
   * if none.
   */
  public record Result(boolean ok, double currentTime, double playedSeconds, long decodedFrames,
      long droppedFrames, List<String> fatalErrors, List<String> errors, long firstFrameMs,
      long elapsedMs, int videoWidth, int videoHeight, int exitCode, Path log, Path screenshot,
      String json) {

    /** One paragraph for assertion messages: the JSON line and where the log and screenshot are. */
    public String describe() {
      return "browser playback: " + json + "\n  log: " + log.toAbsolutePath()
          + (screenshot != null ? "\n  screenshot: " + screenshot.toAbsolutePath() : "");
    }
  }

  /** Plays {@code url} with {@code player} ("hls" or "mpegts") until {@code seconds} have played. */
  public static Result play(String player, String url, int seconds, Duration timeout) {
    return play(player + "-" + RUNS.incrementAndGet(), player, url, seconds, timeout, List.of());
  }

  /** As {@link #play(String, String, int, Duration)}, with the log files named {@code name}. */
  public static Result play(String name, String player, String url, int seconds, Duration timeout) {
    return play(name, player, url, seconds, timeout, List.of());
  }

  /**
   * The full form: {@code extraArgs} go to play.mjs as they are, e.g. {@code List.of("--live",
   * "false")} (mpegts.js on a finished file) or {@code List.of("--screenshot-always")}.
   */
  public static Result play(String name, String player, String url, int seconds, Duration timeout,
      List<String> extraArgs) {
    if (!Files.isDirectory(DIR.resolve("node_modules").resolve("playwright-core"))) {
      throw new IllegalStateException("the browser test packages are not installed: run ./scripts/test, "
          + "or `npm ci` in " + DIR + " (and `apt-get install chromium`)");
    }
    long timeoutSeconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
    Path log = LOGS.resolve(name + ".log");
    Path out = LOGS.resolve(name + ".json");
    Path screenshot = LOGS.resolve(name + ".png");
    List<String> command = new ArrayList<>(List.of(
        System.getenv().getOrDefault("NODE", "node"), DIR.resolve("play.mjs").toString(),
        "--player", player, "--url", url, "--seconds", String.valueOf(seconds),
        "--timeout", String.valueOf(timeoutSeconds),
        "--screenshot", screenshot.toAbsolutePath().toString()));
    command.addAll(extraArgs);
    int exit;
    try {
      Files.createDirectories(LOGS);
      Files.deleteIfExists(screenshot);
      Process process = new ProcessBuilder(command)
          .redirectOutput(out.toFile())
          .redirectError(log.toFile())
          .start();
      try {
        // play.mjs bounds itself (timeout + 15 s); this is the backstop, which ends Chromium too.
        if (!process.waitFor(timeoutSeconds + 25, TimeUnit.SECONDS)) {
          ChildProcesses.stop(process);
        }
      } catch (InterruptedException e) {
        ChildProcesses.kill(process);
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the browser played " + url, e);
      }
      exit = process.isAlive() ? -1 : process.exitValue();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    }
    return parse(out, log, screenshot, exit);
  }

  private static Result parse(Path out, Path log, Path screenshot, int exit) {
    String line = null;
    try {
      for (String candidate : Files.readAllLines(out)) {
        if (candidate.startsWith("{")) {
          line = candidate;
        }
      }
    } catch (IOException e) {
      // No output: reported below.
    }
    Path shot = Files.exists(screenshot) ? screenshot : null;
    if (line == null) {
      String why = "play.mjs printed no JSON (exit " + exit + "); see " + log.toAbsolutePath();
      return new Result(false, 0, 0, 0, 0, List.of(why), List.of(), -1, 0, 0, 0, exit, log, shot, "{}");
    }
    try {
      JsonNode n = JSON.readTree(line);
      return new Result(
          n.path("ok").asBoolean(false) && exit == 0,
          n.path("currentTime").asDouble(),
          n.path("playedSeconds").asDouble(),
          n.path("decodedFrames").asLong(),
          n.path("droppedFrames").asLong(),
          strings(n.path("fatalErrors")),
          strings(n.path("errors")),
          n.path("firstFrameMs").isNumber() ? n.path("firstFrameMs").asLong() : -1,
          n.path("elapsedMs").asLong(),
          n.path("videoWidth").asInt(),
          n.path("videoHeight").asInt(),
          exit, log, shot, line);
    } catch (IOException e) {
      String why = "play.mjs printed bad JSON: " + e.getMessage();
      return new Result(false, 0, 0, 0, 0, List.of(why), List.of(), -1, 0, 0, 0, exit, log, shot, line);
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(item -> list.add(item.asText()));
    return List.copyOf(list);
  }
}
