package dev.streamedge.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * Merges the writes one socket gets during an event-loop turn into one kernel write. Media goes into
 * the channel without a flush, and one flush follows at the end of the turn, so the packets a player
 * gets together (a publisher's read that held several messages, a GOP at join, a batch merged by
 * {@code player.merge-write}) cost one system call instead of one each. The kernel's work per write,
 * not per byte, dominates the cost of serving a player (see bench/RESULTS.md).
 *
 * <p>Every other flush (commands, control messages, close) goes out at once and takes the pending
 * media with it, in order. The merger also tells its owner when the channel can take writes again.
 * It sits in front of Vert.x's handler, so the socket's own writes pass through it; all of it runs on
 * the channel's event loop. With {@link CipherLayer} (RTMPE only), it is what an RTMP socket's Netty
 * pipeline holds besides Vert.x's own handler.
 */
public final class WriteMerger extends ChannelDuplexHandler {

  private static final String NAME = "streamedge-write-merger";
  /** Vert.x's own handler in a server connection's pipeline. */
  private static final String VERTX_HANDLER = EventLoopSocket.VERTX_HANDLER;
  /**
   * Media bytes reported to Vert.x's metrics at a time. Its byte counter is one per listener, added to
   * by every event loop: at 4 KiB a report (Vert.x's own step) two loops writing to 500 RTMP players
   * spent 11% of their user-space time in that counter's compare-and-set, the cache line going from core
   * to core (bench/RESULTS.md). A connection's count lags by less than this, and is whole once it closes.
   */
  static final long REPORT_EVERY = 64 * 1024;

  private final Runnable onWritable;
  private final SendBacklog backlog;
  /** Where this merger's flush is queued: its loop's shared list, or its own task (null). */
  private LoopFlushes flushes;
  /** Vert.x's metrics do not see these writes, which pass in front of its handler: told here. */
  private final LongConsumer written;
  /**
   * Media bytes written and not yet reported to {@link #written}: reported once they reach
   * {@link #REPORT_EVERY}, and when the channel closes.
   */
  private long unreported;
  private final Runnable flushTask = this::deferredFlush;
  private ChannelHandlerContext ctx;
  private boolean flushScheduled;

  private WriteMerger(Runnable onWritable, SendBacklog backlog, LoopFlushes flushes, LongConsumer written) {
    this.onWritable = onWritable;
    this.backlog = backlog;
    this.flushes = flushes;
    this.written = written;
  }

  /**
   * Puts a merger in front of the connection's Vert.x handler. {@code onWritable} runs on the
   * connection's event loop whenever the channel turns writable again. {@code flushes}, the list of
   * the connection's loop, flushes it with the loop's other mergers; a merger whose connection is on
   * another loop, or given none, queues a flush task of its own.
   */
  public static WriteMerger install(EventLoopSocket socket, Runnable onWritable, LoopFlushes flushes) {
    return installBefore(socket.pipeline(), VERTX_HANDLER, onWritable, SendBacklog.of(socket), flushes,
        socket::reportBytesWritten);
  }

  /**
   * Puts a merger just before {@code baseName} in {@code pipeline}: what it writes passes only the
   * handlers nearer the socket. {@code written} reports the bytes to whoever counts them.
   */
  static WriteMerger installBefore(ChannelPipeline pipeline, String baseName, Runnable onWritable,
      SendBacklog backlog, LoopFlushes flushes, LongConsumer written) {
    WriteMerger merger = new WriteMerger(onWritable, backlog, flushes, written);
    pipeline.addBefore(baseName, NAME, merger);
    return merger;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (flushes != null && !flushes.runsOn(ctx.executor())) {
      flushes = null;
    }
  }

  /**
   * Writes {@code data} without flushing it now, and releases it once written. On the socket's event
   * loop only.
   */
  public void write(ByteBuf data) {
    unreported += data.readableBytes();
    ctx.write(data, ctx.voidPromise());
    if (!flushScheduled) {
      flushScheduled = true;
      if (flushes != null) {
        flushes.add(this, ctx.executor());
      } else {
        ctx.executor().execute(flushTask);
      }
    }
  }

  /**
   * The channel holds more unwritten bytes than its high water mark (the socket's write queue size):
   * write nothing more until {@code onWritable} runs.
   */
  public boolean full() {
    return !ctx.channel().isWritable();
  }

  /** Bytes written and not yet acknowledged by the peer ({@link SendBacklog}): a system call, ask rarely. */
  public long unackedBytes() {
    return backlog.bytes();
  }

  /**
   * Closes the channel after {@code grace} unless it closed by then, with whatever it holds unsent
   * ({@link ChannelCutOff}): for a close that waits for what was written to go out. From any thread.
   */
  public void closeWithin(Duration grace) {
    ChannelCutOff.within(ctx.channel(), grace);
  }

  /** The channel this merger writes to. */
  Channel channel() {
    return ctx.channel();
  }

  /**
   * Runs {@code onWritable} after the current task, if the channel takes writes then (if not, it runs
   * when the channel turns writable): for an owner told {@link #full()} for another reason.
   */
  void writableLater() {
    ctx.executor().execute(() -> {
      if (ctx.channel().isWritable()) {
        onWritable.run();
      }
    });
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    // Vert.x first writes what it queued while the channel was full, so media cannot overtake it.
    ctx.fireChannelWritabilityChanged();
    if (ctx.channel().isWritable()) {
      onWritable.run();
    }
  }

  void deferredFlush() {
    flushScheduled = false;
    if (unreported >= REPORT_EVERY) {
      reportWritten();
    }
    ctx.flush();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    // Before Vert.x's handler closes the connection's metrics, which then report what it still held.
    reportWritten();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    reportWritten();
  }

  private void reportWritten() {
    if (unreported > 0) {
      written.accept(unreported);
      unreported = 0;
    }
  }
}
