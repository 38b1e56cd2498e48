package dev.streamedge.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of one HTTP/1 response that lasts as long as its connection (an HTTP-FLV stream), written
 * to the socket as an RTMP player's media is: through a {@link WriteMerger} nearer the socket than
 * Netty's response encoder, so a write is one buffer with no chunk size line around it and no Vert.x
 * response call. The body ends when the connection closes (RFC 9112 §6.3, its last rule), which the
 * head says with {@code Connection: close}; with chunked encoding each write would cost a size line,
 * a CRLF and Vert.x's per-write bookkeeping for every player.
 *
 * <p>Vert.x still sends the head and the end. It refuses to send a head with neither a length nor
 * chunked encoding, so the head is handed to it chunked, and a handler after the encoder's input takes
 * the {@code Transfer-Encoding} out of that one head as it passes: the encoder then frames nothing. The
 * head is told apart from any other response by its headers, the very object the response holds.
 * Everything here runs on the connection's event loop.
 */
public final class RawHttpBody {

  /** Netty's response encoder in Vert.x's HTTP/1 pipeline. */
  private static final String ENCODER = "httpEncoder";
  private static final String HEAD_REWRITE = "streamedge-raw-body-head";

  private final WriteMerger merger;
  /**
   * What was written before the head reached the socket, sent just after it: only when Vert.x had to
   * queue the head behind an earlier response. Holds what the owner writes while {@link #full()}, which
   * an owner that respects it keeps to its first write or two.
   */
  private List<ByteBuf> early = new ArrayList<>(2);
  private boolean headSent;

  private RawHttpBody(WriteMerger merger) {
    this.merger = merger;
  }

  /**
   * Sends {@code response}'s head with its status and headers as they are set now, without
   * {@code Transfer-Encoding} and with {@code Connection: close}, and returns the body after it.
   * {@code onWritable} runs when the socket takes writes again after {@link #full()}; {@code flushes}
   * is the list of the connection's event loop. Before anything of the response was written.
   *
   * @throws IllegalStateException when the connection's pipeline has no Vert.x HTTP/1 encoder
   */
  public static RawHttpBody start(HttpServerResponse response, HttpConnection connection, Runnable onWritable,
      LoopFlushes flushes) {
    ChannelPipeline pipeline = HttpChannels.of(connection).pipeline();
    if (pipeline.get(ENCODER) == null) {
      throw new IllegalStateException("the HTTP connection's pipeline has no handler named " + ENCODER);
    }
    WriteMerger merger = WriteMerger.installBefore(pipeline, ENCODER, onWritable, SendBacklog.of(connection),
        flushes, VertxWrittenBytes.of(connection));
    RawHttpBody body = new RawHttpBody(merger);
    pipeline.addAfter(ENCODER, HEAD_REWRITE, body.new HeadRewrite(response.headers()));
    // What Vert.x requires before it sends a head without a length; HeadRewrite takes it out.
    response.putHeader(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    response.writeHead();
    return body;
  }

  /**
   * Writes {@code data} with the rest of this event-loop turn's writes. The buffer must not change
   * afterwards.
   */
  public void write(Buffer data) {
    ByteBuf view = WireBuffers.forWrite(data);
    if (headSent) {
      merger.write(view);
    } else {
      early.add(view);
    }
  }

  /** Write nothing more until {@code onWritable} runs: the socket holds enough, or the head is not out yet. */
  public boolean full() {
    return !headSent || merger.full();
  }

  /** Bytes written and not yet acknowledged by the client ({@link SendBacklog}): a system call, ask rarely. */
  public long unackedBytes() {
    return merger.unackedBytes();
  }

  /**
   * Ends the body: Vert.x ends the response after what was written, and the connection closes once that
   * is out, or after {@code grace} if the client has not read it by then (a client that stopped
   * reading would otherwise hold the connection for ever).
   */
  public void end(HttpServerResponse response, Duration grace) {
    Channel channel = merger.channel();
    merger.closeWithin(grace);
    response.end().onComplete(ended -> channel.close());
  }

  /** Drops the connection now, with whatever it holds unsent: a player that fell too far behind. */
  public void abort() {
    ChannelCutOff.now(merger.channel());
  }

  private void headSent() {
    headSent = true;
    List<ByteBuf> waiting = early;
    early = null;
    waiting.forEach(merger::write);
    if (!waiting.isEmpty()) {
      // The owner was told full() meanwhile: tell it the body takes writes now, after this write returns.
      merger.writableLater();
    }
  }

  /** Rewrites the one head of this body as it passes from Vert.x to the encoder, then leaves. */
  private final class HeadRewrite extends ChannelOutboundHandlerAdapter {

    private final Object headers;

    HeadRewrite(Object headers) {
      this.headers = headers;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (msg instanceof HttpResponse head && head.headers() == headers) {
        head.headers().remove(HttpHeaderNames.TRANSFER_ENCODING).set(HttpHeaderNames.CONNECTION,
            HttpHeaderValues.CLOSE);
        // Encoded by the time this returns: the head is in the channel before any of the body.
        ctx.write(msg, promise);
        ctx.pipeline().remove(this);
        headSent();
        return;
      }
      ctx.write(msg, promise);
    }
  }
}
