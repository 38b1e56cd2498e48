package dev.streamedge.hls;

import dev.streamedge.net.WireBuffers;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each finished MPEG-TS segment to a file in {@code hls.segment-files} (a tmpfs such as /dev/shm by
 * default: the pages stay in memory, so {@code sendfile} never waits for a disk) on Vert.x's worker
 * threads ({@link #THREADS} of their own), never on an event loop, and hands the open, already unlinked file to the segment's
 * {@link SegmentFile}. What cannot be written (the directory full, or more than {@link #MAX_PENDING}
 * writes waiting) is served from memory as before.
 */
public final class SegmentFiles {

  private static final Logger LOG = LoggerFactory.getLogger(SegmentFiles.class);
  /** Writes waiting for a worker: a segment comes per target duration and stream, so more means a stuck disk. */
  static final int MAX_PENDING = 64;
  /**
   * Threads that write and close the files. A write to tmpfs is a copy of a few hundred kilobytes; Vert.x's
   * shared pool of 20 would start a thread for each of its first 20 writes (a thread pool grows to its
   * core size before it reuses one), each with its own stack and malloc arena: 2 MB more RSS for nothing.
   */
  static final int THREADS = 2;

  private final WorkerExecutor workers;
  private final Path directory;
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicLong failures = new AtomicLong();
  private final Consumer<FileChannel> closer;

  private SegmentFiles(Vertx vertx, Path directory) {
    this.workers = directory == null ? null : vertx.createSharedWorkerExecutor("streamedge-hls-files", THREADS);
    this.directory = directory;
    this.closer = channel -> {
      try {
        workers.executeBlocking(() -> {
          channel.close();
          return null;
        }, false);
      } catch (RejectedExecutionException closing) {
        closeNow(channel);
      }
    };
  }

  /**
   * Closes a file whose workers are gone (the node is closing) where it is: a close(2) of an unlinked
   * tmpfs file frees pages and waits for no disk.
   */
  private static void closeNow(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("hls segment file close failed", e);
    }
  }

  /**
   * Segment files in {@code directory}, or none (every segment from memory) when it is empty or not a
   * writable directory, which is logged.
   */
  public static SegmentFiles in(Vertx vertx, String directory) {
    if (directory.isEmpty()) {
      return new SegmentFiles(vertx, null);
    }
    Path path = Path.of(directory);
    if (!Files.isDirectory(path) || !Files.isWritable(path)) {
      LOG.warn("hls.segment-files {} is not a writable directory: MPEG-TS segments are sent from memory", directory);
      return new SegmentFiles(vertx, null);
    }
    return new SegmentFiles(vertx, path);
  }

  /** Whether segments get files. */
  public boolean enabled() {
    return directory != null;
  }

  /** Writes {@code segment}'s MPEG-TS to a file, later; on the packager's context. */
  void store(HlsSegment segment) {
    if (directory == null || segment.data().length() == 0) {
      return;
    }
    if (pending.incrementAndGet() > MAX_PENDING) {
      pending.decrementAndGet();
      failed("more than " + MAX_PENDING + " segment files waiting to be written");
      return;
    }
    if (!WireBuffers.retain(segment.data())) {
      pending.decrementAndGet();
      return;
    }
    ByteBuffer bytes = WireBuffers.unwrap(segment.data()).nioBuffer();
    Context packager = Vertx.currentContext();
    try {
      // The worker hands the result back itself, with no listener on the future: Vert.x would emit it to
      // the packager's event loop from the worker thread and, when that loop stopped as the node closes,
      // throw RejectedExecutionException there, uncaught. Here that case closes the file where it is.
      workers.executeBlocking(() -> {
        writeAndHandBack(segment, bytes, packager);
        return null;
      }, false);
    } catch (RejectedExecutionException closing) {
      WireBuffers.release(segment.data());
      pending.decrementAndGet();
    }
  }

  /** On a worker thread: writes the file, then gives it to the segment on {@code packager}. */
  private void writeAndHandBack(HlsSegment segment, ByteBuffer bytes, Context packager) {
    FileChannel channel = null;
    String failure = null;
    boolean nodeClosing = false;
    try {
      channel = write(bytes);
    } catch (ClosedByInterruptException e) {
      // Vert.x interrupts its workers when the node closes: the segment is not wanted, nothing failed.
      nodeClosing = true;
    } catch (IOException | RuntimeException e) {
      failure = String.valueOf(e);
    }
    FileChannel written = channel;
    String why = failure;
    boolean interrupted = nodeClosing;
    Runnable handBack = () -> {
      WireBuffers.release(segment.data());
      pending.decrementAndGet();
      if (written != null) {
        segment.file().ready(written, closer);
      } else if (!interrupted) {
        failed(why);
      }
    };
    if (packager == null) {
      handBack.run();
      return;
    }
    try {
      packager.runOnContext(v -> handBack.run());
    } catch (RejectedExecutionException closing) {
      WireBuffers.release(segment.data());
      pending.decrementAndGet();
      if (written != null) {
        closeNow(written);
      }
    }
  }

  /** On a worker thread. */
  private FileChannel write(ByteBuffer bytes) throws IOException {
    Path file = Files.createTempFile(directory, "streamedge-segment-", ".ts");
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      return channel;
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      throw e;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private void failed(String why) {
    long count = failures.incrementAndGet();
    if (count == 1 || count % 1000 == 0) {
      LOG.warn("hls segment file not written ({} so far), the segment is sent from memory: {}", count, why);
    }
  }
}
