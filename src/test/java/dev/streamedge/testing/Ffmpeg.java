package dev.streamedge.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Loader;

/**
 * ffmpeg and ffprobe 8 from Maven Central (org.bytedeco:ffmpeg, test scope only), run as real client
 * processes. Each run's stderr goes to {@code target/ffmpeg-logs/<name>.log} for diagnosis.
 */
public final class Ffmpeg {

  private static final Path LOGS = Path.of("target", "ffmpeg-logs");
  public static final String DEBIAN_FFMPEG = "/usr/bin/ffmpeg";
  private static String ffmpeg;
  private static String ffprobe;

  private Ffmpeg() {
  }

  public static synchronized String ffmpegPath() {
    if (ffmpeg == null) {
      ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    }
    return ffmpeg;
  }

  public static synchronized String ffprobePath() {
    if (ffprobe == null) {
      ffprobe = Loader.load(org.bytedeco.ffmpeg.ffprobe.class);
    }
    return ffprobe;
  }

  /** Starts ffmpeg with {@code args} (after -hide_banner -nostdin); stderr and stdout go to the log. */
  public static Process start(String name, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ffmpegPath());
    command.add("-hide_banner");
    command.add("-nostdin");
    command.addAll(args);
    return launch(name, command);
  }

  /**
   * Starts Debian's ffmpeg ({@value #DEBIAN_FFMPEG}, 5.1 on Debian 12, which scripts/test installs) with
   * {@code args}: a second, older ffmpeg, whose RTMPT client is the one most Linux users run.
   */
  public static Process startDebian(String name, List<String> args) throws IOException {
    if (!Files.isExecutable(Path.of(DEBIAN_FFMPEG))) {
      throw new AssertionError(DEBIAN_FFMPEG + " is missing: scripts/test installs Debian's ffmpeg package");
    }
    List<String> command = new ArrayList<>(List.of(DEBIAN_FFMPEG, "-hide_banner", "-nostdin"));
    command.addAll(args);
    Files.createDirectories(LOGS);
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(LOGS.resolve(name + ".log").toFile())
        .start();
  }

  public static Process startProbe(String name, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ffprobePath());
    command.add("-hide_banner");
    command.addAll(args);
    return launch(name, command);
  }

  private static Process launch(String name, List<String> command) throws IOException {
    Files.createDirectories(LOGS);
    File log = LOGS.resolve(name + ".log").toFile();
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log);
    // The binary finds its own shared libraries (libva, libdrm, ...) next to it.
    builder.environment().put("LD_LIBRARY_PATH", new File(command.get(0)).getParent());
    return builder.start();
  }

  /** Runs ffmpeg to completion; fails with the log's tail when it exits non-zero or times out. */
  public static void run(String name, List<String> args, long timeoutSeconds) throws Exception {
    Process process = start(name, args);
    awaitSuccess(name, process, timeoutSeconds);
  }

  public static void awaitSuccess(String name, Process process, long timeoutSeconds) throws Exception {
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      ChildProcesses.kill(process);
      throw new AssertionError("ffmpeg " + name + " still running after " + timeoutSeconds + " s\n" + logTail(name));
    }
    if (process.exitValue() != 0) {
      throw new AssertionError("ffmpeg " + name + " exited " + process.exitValue() + "\n" + logTail(name));
    }
  }

  public static String logTail(String name) {
    return LogTail.of(LOGS.resolve(name + ".log"), 25);
  }
}
