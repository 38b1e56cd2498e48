package dev.streamedge.thumbnail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One ffmpeg run that turns an FLV file of a sequence header and a keyframe into a JPEG of {@code width} pixels:
 * the file goes to its standard input, the picture comes from its standard output. Blocking: it runs on worker
 * threads (two: one writes, the caller's reads), never on an event loop. The process is killed when it has not
 * finished within the timeout (by the JDK's delayed executor, which ends the blocked reads) or writes more than
 * {@code maxBytes}.
 */
final class JpegMaker {

  /** The longest part of ffmpeg's standard error kept for the log and the answer. */
  private static final int MAX_ERROR = 300;

  private JpegMaker() {
  }

  /** The ffmpeg command line: FLV in on pipe 0, one scaled JPEG out on pipe 1, only errors on standard error. */
  static List<String> command(String ffmpeg, int width) {
    return List.of(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-f", "flv", "-i", "pipe:0",
        "-frames:v", "1", "-vf", "scale=" + width + ":-2", "-q:v", "5", "-f", "image2pipe", "-c:v", "mjpeg",
        "pipe:1");
  }

  /**
   * Runs {@code command} with {@code flv} as its input; the JPEG's bytes.
   *
   * @param writer runs the writing of the input beside this thread's reading of the output
   * @throws ThumbnailRefusal 502 when ffmpeg cannot be started, fails, writes nothing or too much; 504 when it
   *     did not finish in time
   */
  static byte[] make(List<String> command, byte[] flv, long maxBytes, long timeoutMillis,
      Executor writer) throws ThumbnailRefusal {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new ThumbnailRefusal(502, "ffmpeg (transcode.ffmpeg) could not be started: " + e.getMessage());
    }
    AtomicBoolean late = new AtomicBoolean();
    // The reads below block until ffmpeg ends: past the deadline it is killed, which ends them.
    CompletableFuture.delayedExecutor(timeoutMillis, TimeUnit.MILLISECONDS).execute(() -> {
      if (process.isAlive()) {
        late.set(true);
        process.destroyForcibly();
      }
    });
    try {
      writer.execute(() -> {
        try (OutputStream in = process.getOutputStream()) {
          in.write(flv);
        } catch (IOException closedEarly) {
          // ffmpeg exited before reading it all: its exit status tells why.
        }
      });
      byte[] jpeg = readAtMost(process.getInputStream(), maxBytes + 1);
      if (jpeg.length > maxBytes) {
        throw new ThumbnailRefusal(502, "ffmpeg wrote more than thumbnail.max-size");
      }
      long left = deadline - System.nanoTime();
      if (late.get() || left <= 0 || !process.waitFor(left, TimeUnit.NANOSECONDS) || late.get()) {
        throw new ThumbnailRefusal(504, "ffmpeg made no picture within thumbnail.timeout");
      }
      if (process.exitValue() != 0 || jpeg.length == 0) {
        String error = new String(readAtMost(process.getErrorStream(), MAX_ERROR), StandardCharsets.UTF_8).strip();
        throw new ThumbnailRefusal(502, "ffmpeg exited " + process.exitValue() + " with "
            + (jpeg.length == 0 ? "no picture" : "a picture") + (error.isEmpty() ? "" : ": " + error));
      }
      return jpeg;
    } catch (IOException e) {
      throw new ThumbnailRefusal(502, "ffmpeg's output could not be read: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ThumbnailRefusal(504, "interrupted while waiting for ffmpeg");
    } finally {
      process.destroyForcibly();
    }
  }

  private static byte[] readAtMost(InputStream in, long limit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[16 * 1024];
    int read;
    while (out.size() < limit && (read = in.read(chunk, 0, (int) Math.min(chunk.length, limit - out.size()))) > 0) {
      out.write(chunk, 0, read);
    }
    return out.toByteArray();
  }
}
