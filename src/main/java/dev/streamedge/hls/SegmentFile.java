package dev.streamedge.hls;

import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A finished MPEG-TS segment's copy in a file, which HTTP sends with {@code sendfile(2)}: the kernel
 * hands the file's pages to the socket instead of copying the bytes from memory for every request
 * (a fifth of the server's CPU at 2000 MPEG-TS players). The file is unlinked once written, so its open
 * channel is all that is left of it and nothing stays behind after a crash.
 *
 * <p>Counted references: the window holds one while the segment is kept, each response one while its
 * {@code sendfile} runs; the channel closes when the last goes. Before the file is written, and once
 * the last hold went, {@link #retain} says no and the segment goes out from memory. {@link #ready} and
 * the window's {@link #release} run on the packager's context; the responses' on HTTP event loops.
 */
public final class SegmentFile {

  private final AtomicInteger refs = new AtomicInteger(1);
  private volatile FileChannel channel;
  private volatile Consumer<FileChannel> closer;

  /** The written file's channel, which {@code closer} closes once nobody holds it. On the packager's context. */
  void ready(FileChannel written, Consumer<FileChannel> closer) {
    this.closer = closer;
    this.channel = written;
    if (refs.get() <= 0) {
      closer.accept(written);
    }
  }

  /** The channel, held until {@link #release}; null when there is none to send (not yet, or no longer). */
  public FileChannel retain() {
    FileChannel ready = channel;
    if (ready == null) {
      return null;
    }
    for (int held = refs.get(); held > 0; held = refs.get()) {
      if (refs.compareAndSet(held, held + 1)) {
        return ready;
      }
    }
    return null;
  }

  /** Lets go of a hold: the window's when it drops the segment, a response's when its send ended. */
  public void release() {
    if (refs.decrementAndGet() == 0) {
      FileChannel written = channel;
      if (written != null) {
        closer.accept(written);
      }
    }
  }
}
