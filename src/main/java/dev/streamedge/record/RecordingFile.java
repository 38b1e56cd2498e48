package dev.streamedge.record;

import dev.streamedge.metrics.RecordMeters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One recording file being written through Vert.x's asynchronous file system: writes are handed over
 * at once and never waited for, so the recorder's event loop never blocks on the disk. What is handed
 * over and not yet written is bounded by {@code maxQueued}: a disk that falls further behind, or any
 * failure to open or write, fails the file once, through {@code failed}. Used on one context.
 */
final class RecordingFile {

  private final Path path;
  private final long maxQueued;
  private final RecordMeters meters;
  private final Consumer<String> failed;
  private final Future<AsyncFile> opened;
  /** Writes handed over before the file was open, written in order once it is. */
  private List<Buffer> beforeOpen = new ArrayList<>();
  private long queued;
  private long size;
  private boolean broken;
  private boolean closing;
  private Future<Void> closed;
  /** The last write handed to the file; its completion comes after every earlier write's. */
  private Future<Void> lastWrite = Future.succeededFuture();

  private RecordingFile(Vertx vertx, Path path, long maxQueued, RecordMeters meters, Consumer<String> failed) {
    this.path = path;
    this.maxQueued = maxQueued;
    this.meters = meters;
    this.failed = failed;
    // createNew: a recording never overwrites another file.
    this.opened = vertx.fileSystem().mkdirs(path.getParent().toString())
        .compose(v -> vertx.fileSystem().open(path.toString(), new OpenOptions().setWrite(true).setCreateNew(true)));
    opened.onComplete(done -> {
      if (done.failed()) {
        fail("cannot open: " + reason(done.cause()));
        return;
      }
      meters.fileOpened();
      if (broken) {
        close(done.result());
        return;
      }
      List<Buffer> waiting = beforeOpen;
      beforeOpen = null;
      waiting.forEach(data -> writeOpen(done.result(), data));
    });
  }

  /** Creates {@code path} (and its directory) and writes to it; call on the recorder's context. */
  static RecordingFile open(Vertx vertx, Path path, long maxQueued, RecordMeters meters, Consumer<String> failed) {
    return new RecordingFile(vertx, path, maxQueued, meters, failed);
  }

  Path path() {
    return path;
  }

  /** Bytes handed over so far, written or not. */
  long size() {
    return size;
  }

  /**
   * Hands {@code data} to the disk; false when the file has failed, or fails now because the disk is
   * more than {@code maxQueued} behind.
   */
  boolean write(Buffer data) {
    if (broken || closing) {
      return false;
    }
    if (queued + data.length() > maxQueued) {
      fail("the disk fell behind: " + queued + " bytes still waiting to be written (record.max-queued "
          + maxQueued + ")");
      return false;
    }
    queued += data.length();
    size += data.length();
    if (beforeOpen != null) {
      beforeOpen.add(data);
    } else {
      writeOpen(opened.result(), data);
    }
    return true;
  }

  /** Completes once the file is open on the disk; fails when it cannot be (then the failure is told too). */
  Future<Void> opened() {
    return opened.mapEmpty();
  }

  /** Closes the file after every write handed over; fails when the file failed or cannot be closed. */
  Future<Void> close() {
    closing = true;
    return opened.compose(file -> {
      if (broken) {
        return Future.failedFuture("failed");
      }
      return close(file);
    });
  }

  private Future<Void> close(AsyncFile file) {
    if (closed == null) {
      // AsyncFile closes once the writes it holds are done, but may say so before the last write's own
      // completion has run (and counted its bytes): close after that completion.
      closed = lastWrite.transform(written -> file.close()).andThen(done -> meters.fileClosed());
    }
    return closed;
  }

  private void writeOpen(AsyncFile file, Buffer data) {
    int length = data.length();
    lastWrite = file.write(data).andThen(done -> {
      queued -= length;
      if (done.succeeded()) {
        meters.written(length);
      } else {
        fail("write failed: " + reason(done.cause()));
      }
    });
  }

  private void fail(String why) {
    if (broken) {
      return;
    }
    broken = true;
    beforeOpen = null;
    if (opened.succeeded()) {
      close(opened.result());
    }
    failed.accept(why);
  }

  /** The most telling message of a failure: the innermost one, e.g. "No space left on device". */
  private static String reason(Throwable error) {
    Throwable inner = error;
    while (inner.getCause() != null && inner.getCause() != inner) {
      inner = inner.getCause();
    }
    String message = inner.getMessage();
    return inner.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
