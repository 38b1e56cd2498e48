package dev.streamedge.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.NetSocketImpl;
import io.vertx.core.net.impl.VertxConnection;
import io.vertx.core.net.impl.VertxHandler;
import io.vertx.core.spi.metrics.TCPMetrics;
import java.util.concurrent.TimeUnit;

/**
 * A connection accepted by a Vert.x {@code NetServer} that is only ever used from its own event loop:
 * the RTMP and RTMPS server connections. It replaces the {@link NetSocket} Vert.x made for the channel,
 * as Vert.x's own HTTP server replaces it with its HTTP connection, and runs in Vert.x's strict thread
 * mode: a write goes straight into the channel.
 *
 * <p>Why: a {@code NetSocket} may be written from any thread, so each holds a multi-producer queue for
 * writes from other threads, whose first chunk is an array of 1024 references (4 KiB) allocated with
 * the socket. At 2000 players those arrays were 8.3 MB of a 34 MB live heap, and the heap the JVM
 * keeps for it grows with it (bench/RESULTS.md). A server RTMP connection is written on its own
 * context only, so it needs none.
 *
 * <p>What stays Vert.x's: the accept, TLS, the proxy protocol, the connection's TCP metrics (the
 * metric the NetSocket had moves here), the close that flushes first, and the server's graceful
 * shutdown, which reaches a connection as its {@link #shutdownHandler}; Vert.x closes it when the
 * shutdown's time is up. Vert.x's connection classes are its implementation API, pinned with its
 * version.
 */
public final class EventLoopSocket extends VertxConnection {

  /** Vert.x's own handler in a NetSocket's pipeline, which this connection's handler replaces. */
  static final String VERTX_HANDLER = "handler";

  private final TCPMetrics<?> metrics;
  private Handler<Buffer> handler;

  private EventLoopSocket(ContextInternal context, io.netty.channel.ChannelHandlerContext chctx, TCPMetrics<?> metrics) {
    super(context, chctx, true);
    this.metrics = metrics;
  }

  /**
   * Takes over the channel of {@code accepted}, a socket just given to a {@code NetServer}'s connect
   * handler, on its context: {@code accepted} must not be used afterwards.
   */
  public static EventLoopSocket adopt(NetSocket accepted) {
    NetSocketImpl socket = (NetSocketImpl) accepted;
    TCPMetrics<?> metrics = socket.metrics();
    Object metric = socket.metric();
    ContextInternal context = socket.context();
    // A PROXY protocol header's client went to the accepted socket, the first to ask (Vert.x keeps it for
    // one asker only): this connection takes it over, as it takes over the metric.
    SocketAddress client = socket.remoteAddress();
    if (client != null && !client.equals(socket.remoteAddress(true))) {
      socket.channel().attr(ConnectionBase.REMOTE_ADDRESS_OVERRIDE).set(client);
    }
    VertxHandler<EventLoopSocket> handler = VertxHandler.create(chctx -> {
      EventLoopSocket adopted = new EventLoopSocket(context, chctx, metrics);
      adopted.metric(metric);
      return adopted;
    });
    socket.channelHandlerContext().pipeline().replace(VertxHandler.class, VERTX_HANDLER, handler);
    return handler.getConnection();
  }

  @Override
  public TCPMetrics<?> metrics() {
    return metrics;
  }

  /** Where the bytes read go, in order, on the connection's context; each buffer is the reader's to keep. */
  public EventLoopSocket handler(Handler<Buffer> handler) {
    this.handler = handler;
    return this;
  }

  @Override
  protected void handleMessage(Object msg) {
    if (!(msg instanceof ByteBuf read)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    // As a NetSocket does: a pooled read is copied to the heap and released, so the reader may keep it.
    Buffer data = BufferInternal.buffer(VertxHandler.safeBuffer(read));
    Handler<Buffer> target = handler;
    if (target != null) {
      context.dispatch(data, target);
    }
  }

  /**
   * A shutdown leaves the connection open for its {@link #shutdownHandler} to end, as a NetSocket's
   * does; Vert.x's default would close it at once.
   */
  @Override
  protected void handleShutdown(Object reason, long timeout, TimeUnit unit, ChannelPromise promise) {
  }

  /** Writes {@code data} now: flushed unless a read is being handled, whose end flushes. */
  public void write(Buffer data) {
    writeToChannel(((BufferInternal) data).getByteBuf());
  }

  /** The most bytes the channel holds unwritten before it reports itself unwritable. */
  public void setWriteQueueMaxSize(int bytes) {
    doSetWriteQueueMaxSize(bytes);
  }

  /** The channel's pipeline, for the handlers that go in front of this connection's. */
  ChannelPipeline pipeline() {
    return channelHandlerContext().pipeline();
  }
}
