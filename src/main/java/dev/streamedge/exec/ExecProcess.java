package dev.streamedge.exec;

import dev.streamedge.log.ChildOutput;
import dev.streamedge.log.RateLimitedLog;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One started command. Its standard input is {@code /dev/null} and its standard output discarded, as
 * nginx-rtmp's children's are, unless a redirect says otherwise; its standard error goes to the log (at
 * most {@code log.max-lines-per-second} lines a second), where nginx-rtmp discards it too, since that is
 * where an operator looks when a command does nothing. One daemon thread per process reads it, so no
 * event loop touches a pipe; the processes, and so the threads, are bounded by {@code exec.max-processes}.
 */
final class ExecProcess {

  private static final Logger LOG = LoggerFactory.getLogger(ExecProcess.class);
  private static final RateLimitedLog OUTPUT_LOG = RateLimitedLog.of(LOG, "exec output");
  /** Longest line of output logged; the rest of a longer one is cut. */
  static final int MAX_LINE = 500;
  private static final File NULL = new File("/dev/null");

  private final Process process;
  private final ExecJob job;
  private final String program;
  private final long startedAtMillis = System.currentTimeMillis();

  private ExecProcess(Process process, ExecJob job, String program) {
    this.process = process;
    this.job = job;
    this.program = program;
  }

  /**
   * Starts {@code command} with the event's {@code values}, after the {@code prefix} words ({@link
   * ExecSpawner#prefix}): blocks for the fork and for opening the redirects' files, so call it on the
   * spawning thread, never an event loop.
   */
  static ExecProcess start(ExecCommand command, Map<String, String> values, ExecJob job, List<String> prefix)
      throws IOException {
    List<String> argv = new ArrayList<>(prefix);
    argv.addAll(command.argv(values));
    ProcessBuilder builder = new ProcessBuilder(argv);
    ProcessBuilder.Redirect in = ProcessBuilder.Redirect.from(NULL);
    ProcessBuilder.Redirect out = ProcessBuilder.Redirect.DISCARD;
    ProcessBuilder.Redirect err = ProcessBuilder.Redirect.PIPE;
    int follows = -1;
    for (ExecCommand.Redirect redirect : command.redirects()) {
      if (redirect.toFd() >= 0) {
        follows = redirect.fd();
        continue;
      }
      File file = new File(ExecCommand.file(redirect, values));
      ProcessBuilder.Redirect to = redirect.fd() == 0 ? ProcessBuilder.Redirect.from(file)
          : redirect.append() ? ProcessBuilder.Redirect.appendTo(file) : ProcessBuilder.Redirect.to(file);
      switch (redirect.fd()) {
        case 0 -> in = to;
        case 1 -> out = to;
        default -> err = to;
      }
    }
    // 2>&1: standard error goes where standard output goes; 1>&2 the other way round. Either way one
    // stream carries both, which ProcessBuilder does by merging standard error into standard output.
    boolean merged = follows >= 0;
    if (follows == 1) {
      out = err;
    }
    builder.redirectInput(in).redirectOutput(out).redirectError(merged ? ProcessBuilder.Redirect.PIPE : err)
        .redirectErrorStream(merged);
    ExecProcess started = new ExecProcess(builder.start(), job, command.program());
    boolean logged = merged ? out == ProcessBuilder.Redirect.PIPE : err == ProcessBuilder.Redirect.PIPE;
    if (logged) {
      InputStream stream = merged ? started.process.getInputStream() : started.process.getErrorStream();
      Thread thread = new Thread(() -> started.log(stream), "exec-output-" + started.process.pid());
      thread.setDaemon(true);
      thread.start();
    }
    return started;
  }

  long pid() {
    return process.pid();
  }

  ExecState state() {
    return new ExecState(job.event().label(), job.stream(), program, process.pid(), startedAtMillis);
  }

  CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  /**
   * Signals the process and what it started (a script's ffmpeg, which nginx-rtmp would leave running):
   * SIGTERM, or SIGKILL when {@code forcibly}. Reads /proc to find the descendants, so call it on a worker
   * thread.
   */
  void signal(boolean forcibly) {
    List<ProcessHandle> descendants = process.descendants().toList();
    if (forcibly) {
      process.destroyForcibly();
      descendants.forEach(ProcessHandle::destroyForcibly);
    } else {
      process.destroy();
      descendants.forEach(ProcessHandle::destroy);
    }
  }

  /** The exit code, once it has exited. */
  int exitValue() {
    return process.exitValue();
  }

  private void log(InputStream stream) {
    ChildOutput.lines(stream, MAX_LINE,
        text -> OUTPUT_LOG.warn("exec {} pid={}: {}", job.label(), process.pid(), text));
  }
}
