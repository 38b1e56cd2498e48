package dev.streamedge.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.http.HttpConnection;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The deadlines of the client of one HTTP/1 connection, so that a slow or idle client cannot hold it:
 * a request head must arrive whole within the header timeout (counted from the connect, or on a
 * kept-alive connection from the first byte of the next request), a request body within the body
 * timeout from its head, and a kept-alive connection with no request in flight is closed after the
 * idle timeout. While a response is being sent — an HTTP-FLV stream for hours, a playlist waiting for
 * its first segment — no deadline runs: the player queues bound what a slow reader may hold.
 *
 * <p>A Netty handler just before Vert.x's own, so it sees decoded requests coming in and responses
 * going out. Vert.x's {@code idleTimeout} cannot do this: it watches bytes in either direction, so it
 * would spare a client that trickles a byte now and then and cut a stream that pauses. A WebSocket
 * upgrade ends the deadlines: the handler leaves the pipeline with the 101 response.
 */
public final class HttpDeadlines extends ChannelDuplexHandler {

  private static final String NAME = "streamedge-deadlines";

  /** Which deadline passed. */
  public enum Expiry {
    /** No whole request head in time. */
    HEADER,
    /** No whole request body in time. */
    BODY,
    /** Kept alive with nothing in flight for too long. */
    IDLE
  }

  /** Told of every connection closed for a deadline, on its event loop, just before the close. */
  @FunctionalInterface
  public interface Listener {
    void expired(Expiry expiry, SocketAddress peer);
  }

  /**
   * The three deadlines.
   *
   * @param header the time to a whole request head
   * @param body the time from a request's head to the end of its body
   * @param idle the time a kept-alive connection may have nothing in flight
   */
  public record Timeouts(Duration header, Duration body, Duration idle) {
  }

  /** What the connection waits for, and so which deadline runs. */
  private enum Wait {
    /** A response is being sent: no deadline. */
    RESPONSE,
    /** A request head, from the connect or from the first byte of a kept-alive connection's next one. */
    HEAD,
    /** The rest of a request body. */
    BODY,
    /** Anything, on a kept-alive connection with nothing in flight. */
    IDLE
  }

  private final long headerNanos;
  private final long bodyNanos;
  private final long idleNanos;
  private final Listener listener;
  private ChannelHandlerContext ctx;
  private final Runnable check = this::check;
  private final ChannelFutureListener responseSent = f -> responseSent();
  /** For a write Vert.x made with a void promise, which would have reported its failure down the pipeline. */
  private final ChannelFutureListener responseSentOrFailed = f -> {
    if (!f.isSuccess()) {
      ctx.fireExceptionCaught(f.cause());
    }
    responseSent();
  };
  /** Requests whose response has not been written whole yet (pipelined ones wait behind the first). */
  private int unanswered;
  /** Between a request's head and the end of its body. */
  private boolean readingBody;
  /** Some bytes of the next request head arrived. */
  private boolean headStarted;
  private Wait wait = Wait.HEAD;
  private long deadline;
  /**
   * At most one timer per connection. A deadline that moves later leaves it be: it fires early and is
   * set again. One that moves earlier than it replaces it.
   */
  private ScheduledFuture<?> timer;
  private long timerAt;

  private HttpDeadlines(Timeouts timeouts, Listener listener) {
    this.headerNanos = timeouts.header().toNanos();
    this.bodyNanos = timeouts.body().toNanos();
    this.idleNanos = timeouts.idle().toNanos();
    this.listener = listener;
  }

  /**
   * On the connection's event loop, as soon as it is accepted, before it carries any request.
   *
   * @throws IllegalStateException when the connection exposes no pipeline
   */
  public static void install(HttpConnection connection, Timeouts timeouts, Listener listener) {
    HttpChannels.of(connection).pipeline().addBefore(HttpChannels.VERTX_HANDLER, NAME,
        new HttpDeadlines(timeouts, listener));
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    await(Wait.HEAD);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    stop();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    stop();
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof HttpRequest) {
      unanswered++;
      readingBody = true;
      headStarted = false;
    }
    if (msg instanceof LastHttpContent) {
      readingBody = false;
    }
    if (msg instanceof HttpRequest || msg instanceof LastHttpContent) {
      settle();
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    // Bytes arrived that made no whole request head: the next request has begun.
    if (wait == Wait.IDLE) {
      headStarted = true;
      await(Wait.HEAD);
    } else if (wait == Wait.HEAD) {
      headStarted = true;
    }
    super.channelReadComplete(ctx);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
      // 100 Continue and 103 Early Hints come before the response; 101 ends HTTP on this connection.
      super.write(ctx, msg, promise);
      if (response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
        ctx.pipeline().remove(this);
      }
      return;
    }
    if (msg instanceof LastHttpContent) {
      // The response counts as sent once its last bytes are written to the socket, not when they are
      // queued: a large segment to a slow client is not idle time.
      ChannelPromise written = promise.unvoid();
      super.write(ctx, msg, written);
      written.addListener(promise.isVoid() ? responseSentOrFailed : responseSent);
      return;
    }
    super.write(ctx, msg, promise);
  }

  private void responseSent() {
    if (unanswered > 0) {
      unanswered--;
      settle();
    }
  }

  /** Sets the deadline after a request or a response moved on. */
  private void settle() {
    Wait next;
    if (readingBody && unanswered <= 1) {
      // The body of the request in hand (a pipelined request's body waits until it is its turn).
      next = Wait.BODY;
    } else if (unanswered > 0) {
      next = Wait.RESPONSE;
    } else {
      next = Wait.IDLE;
    }
    if (next != wait) {
      await(next);
    }
  }

  private void await(Wait next) {
    wait = next;
    long timeout = switch (next) {
      case HEAD -> headerNanos;
      case BODY -> bodyNanos;
      case IDLE -> idleNanos;
      case RESPONSE -> 0;
    };
    if (timeout == 0 || !ctx.channel().isActive()) {
      return;
    }
    deadline = System.nanoTime() + timeout;
    if (timer != null && timerAt - deadline > 0) {
      timer.cancel(false);
      timer = null;
    }
    if (timer == null) {
      schedule(timeout);
    }
  }

  private void schedule(long delayNanos) {
    timerAt = System.nanoTime() + delayNanos;
    timer = ctx.executor().schedule(check, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void check() {
    timer = null;
    if (wait == Wait.RESPONSE || !ctx.channel().isActive()) {
      return;
    }
    long left = deadline - System.nanoTime();
    if (left > 0) {
      schedule(left);
      return;
    }
    Expiry expiry = switch (wait) {
      case HEAD -> Expiry.HEADER;
      case BODY -> Expiry.BODY;
      default -> Expiry.IDLE;
    };
    boolean answer = wait == Wait.HEAD && headStarted;
    wait = Wait.RESPONSE;
    listener.expired(expiry, ctx.channel().remoteAddress());
    if (answer) {
      // RFC 9110 §15.5.9: 408 with "close", since the server has decided to close the connection.
      // Only for a partial head: no response is under way, and a client that sent nothing asked nothing.
      FullHttpResponse timeout = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.REQUEST_TIMEOUT, Unpooled.EMPTY_BUFFER);
      timeout.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0).set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(timeout);
    }
    ctx.close();
  }

  private void stop() {
    wait = Wait.RESPONSE;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
