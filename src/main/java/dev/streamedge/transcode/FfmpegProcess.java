package dev.streamedge.transcode;

import dev.streamedge.log.ChildOutput;
import dev.streamedge.log.RateLimitedLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running ffmpeg and the three threads that talk to it, so that no event loop ever touches its
 * pipes: one writes the source to its standard input from a queue bounded by {@code maxQueued} bytes,
 * one reads its progress (standard output) for the speed and CPU, one passes its standard error to the
 * log, at most {@code log.max-lines-per-second} lines a second. When the node dies its standard input
 * closes, ffmpeg reads the end of its input and exits: no ffmpeg outlives the node.
 */
final class FfmpegProcess {

  private static final Logger LOG = LoggerFactory.getLogger(FfmpegProcess.class);
  private static final RateLimitedLog STDERR_LOG = RateLimitedLog.of(LOG, "transcode stderr");
  /** Longest line of standard error logged; the rest of a longer one is cut. */
  static final int MAX_LINE = 500;
  private static final byte[] END = new byte[0];

  private final Process process;
  private final String label;
  private final long maxQueued;
  private final LinkedBlockingQueue<byte[]> input = new LinkedBlockingQueue<>();
  private final AtomicLong queued = new AtomicLong();
  private volatile double speed;
  private volatile double cpu;
  private volatile long frames;
  private volatile String lastError = "";

  private FfmpegProcess(Process process, String label, long maxQueued) {
    this.process = process;
    this.label = label;
    this.maxQueued = maxQueued;
  }

  /** Starts {@code command}: blocks for the fork, so call it on a worker thread, never an event loop. */
  static FfmpegProcess start(List<String> command, String label, long maxQueued) throws IOException {
    Process process = new ProcessBuilder(command).start();
    FfmpegProcess running = new FfmpegProcess(process, label, maxQueued);
    running.thread("stdin", running::writeInput);
    running.thread("progress", running::readProgress);
    running.thread("stderr", running::readErrors);
    return running;
  }

  private void thread(String what, Runnable body) {
    Thread thread = new Thread(body, "transcode-" + what + "-" + process.pid());
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Hands {@code bytes} to the standard input; false, and nothing queued, when that would make more than
   * {@code maxQueued} bytes wait: ffmpeg is slower than real time, and the caller skips ahead. Any thread.
   */
  boolean offer(byte[] bytes) {
    if (queued.addAndGet(bytes.length) > maxQueued) {
      queued.addAndGet(-bytes.length);
      return false;
    }
    input.add(bytes);
    return true;
  }

  /** Closes the standard input after what is queued: ffmpeg finishes and exits. Any thread. */
  void endInput() {
    input.add(END);
  }

  /** SIGTERM, then SIGKILL: see {@link Process#destroy()}. Any thread. */
  void terminate(boolean forcibly) {
    if (forcibly) {
      process.destroyForcibly();
    } else {
      process.destroy();
    }
  }

  CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Media time encoded per wall-clock time over the last progress period; 0 before the second report. */
  double speed() {
    return speed;
  }

  /** CPU cores the process used over the last progress period. */
  double cpu() {
    return cpu;
  }

  long frames() {
    return frames;
  }

  /** The last line ffmpeg wrote to standard error; "" for none. */
  String lastError() {
    return lastError;
  }

  private void writeInput() {
    try (OutputStream out = process.getOutputStream()) {
      while (true) {
        byte[] bytes = input.take();
        if (bytes == END) {
          return;
        }
        queued.addAndGet(-bytes.length);
        out.write(bytes);
        if (input.isEmpty()) {
          out.flush();
        }
      }
    } catch (IOException e) {
      // ffmpeg went away; its exit is reported by onExit.
      input.clear();
      queued.set(0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** ffmpeg's -progress blocks: key=value lines ending with progress=continue (or end). */
  private void readProgress() {
    long lastCpuNanos = 0;
    long lastWallNanos = System.nanoTime();
    long outMicros = -1;
    long lastOutMicros = -1;
    try (InputStream in = process.getInputStream()) {
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0) {
        if (c != '\n') {
          if (line.length() < MAX_LINE) {
            line.append((char) c);
          }
          continue;
        }
        String text = line.toString().trim();
        line.setLength(0);
        if (text.startsWith("out_time_us=")) {
          outMicros = Progress.count(text.substring(12));
        } else if (text.startsWith("frame=")) {
          frames = Progress.count(text.substring(6));
        } else if (text.startsWith("progress=")) {
          long cpuNanos = process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
          long now = System.nanoTime();
          if (now > lastWallNanos && cpuNanos >= lastCpuNanos) {
            cpu = (double) (cpuNanos - lastCpuNanos) / (now - lastWallNanos);
          }
          // Over the last period, not ffmpeg's own speed=, which averages from the start and so hides an
          // ffmpeg that began to fall behind late in a long run.
          if (lastOutMicros >= 0 && outMicros >= lastOutMicros && now > lastWallNanos) {
            speed = (outMicros - lastOutMicros) * 1000.0 / (now - lastWallNanos);
          }
          lastOutMicros = outMicros;
          lastCpuNanos = cpuNanos;
          lastWallNanos = now;
        }
      }
    } catch (IOException e) {
      // The pipe closed with the process.
    }
  }

  private void readErrors() {
    ChildOutput.lines(process.getErrorStream(), MAX_LINE, text -> {
      lastError = text;
      STDERR_LOG.warn("transcode {} ffmpeg: {}", label, text);
    });
  }
}
