package dev.streamedge.rtmp.client;

import dev.streamedge.net.CipherLayer;
import dev.streamedge.net.TunnelCipher;
import dev.streamedge.net.WireBuffers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.regex.Pattern;

/**
 * RTMPT, RTMPTS and RTMPTE: the session's bytes in HTTP POSTs, as ffmpeg's rtmphttp and librtmp send
 * them. {@code /open/1} gets the session id; what the session writes waits in a queue (bounded by
 * {@link RtmpClientOptions#maxTunnelQueuedBytes()}) for the next {@code /send/<id>/<seq>}; with nothing
 * to send, {@code /idle/<id>/<seq>} polls; {@code /close/<id>/<seq>} ends it. Every body is
 * {@code application/x-fcs}; every answer starts with the server's polling byte, then the server's RTMP
 * bytes.
 *
 * <p>One request at a time, on one kept-alive connection: sequence numbers reach the server in order
 * (ours counts them from 0, as ffmpeg does), and the answers' bytes come in the order they were sent.
 * So a write waits for the request in flight, an {@code /idle} the server holds (this server holds one
 * up to {@code rtmpt.idle-wait}) included; writes of one event-loop turn leave in one {@code /send}.
 *
 * <p>The polling byte: an answer with bytes in it, or bytes waiting to be sent, means the next request
 * goes at once. After an empty answer the next {@code /idle} waits {@code (byte - 1) * 10 ms}, at most
 * {@link RtmpClientOptions#maxPollDelayMillis()}: a server that holds idle polls (this one, answering 1)
 * is polled again at once, one that answers idles at once and asks for a pause (Red5 counts its byte
 * up to 0x21 on an idle session) gets one, instead of the thousands of requests a second of a client
 * that ignores the byte.
 *
 * <p>RTMPTE: a {@link TunnelCipher}, the server's own, works on the answers' bytes after the polling
 * byte and on the queue.
 */
final class TunnelTransport implements ClientTransport {

  static final String CONTENT_TYPE = "application/x-fcs";
  /** A session id as servers make them (hex here, digits in Red5), at most 64 characters. */
  private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9._~-]{1,64}");
  /** What one unit of the polling byte pauses the next idle poll for. */
  static final int POLL_UNIT_MILLIS = 10;

  private final RtmpUrl url;
  private final Context context;
  private final HttpClientAgent client;
  private final int maxQueuedBytes;
  private final int maxPollDelayMillis;
  private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
  private Listener listener;
  private TunnelCipher cipher;
  private String id;
  private long sequence;
  private long queued;
  /** Bytes of the {@code /send} in flight: with {@link #queued}, what {@link #writeQueueFull} weighs. */
  private long sending;
  private Runnable drainHandler;
  private boolean inFlight;
  private boolean pumpScheduled;
  private boolean paused;
  private boolean closed;
  /** Set by {@link #close()}: what waits is sent, then {@code /close}; no more polls. */
  private Promise<Void> closing;
  private long pollTimer = -1;

  TunnelTransport(Vertx vertx, RtmpUrl url, RtmpClientOptions options) {
    this.url = url;
    this.context = vertx.getOrCreateContext();
    this.maxQueuedBytes = options.maxTunnelQueuedBytes();
    this.maxPollDelayMillis = options.maxPollDelayMillis();
    HttpClientOptions http = new HttpClientOptions(options.network())
        .setSsl(url.variant().tls())
        .setKeepAlive(true)
        .setPipelining(false)
        .setVerifyHost(!options.network().isTrustAll())
        .setMaxInitialLineLength(4096)
        .setMaxHeaderSize(8192);
    // One connection: requests in order, one at a time (see the class comment).
    this.client = vertx.createHttpClient(http, new PoolOptions().setHttp1MaxSize(1));
  }

  @Override
  public Future<Void> open(Listener listener) {
    this.listener = listener;
    if (Vertx.currentContext() != context) {
      // Every request from the one context, so that every answer, and the session, run on its event loop.
      Promise<Void> opened = Promise.promise();
      context.runOnContext(v -> open(listener).onComplete(opened));
      return opened.future();
    }
    return post("/open/1", Buffer.buffer(new byte[] {0}))
        .<Void>map(body -> {
          // "<id>\n" from this server and ffmpeg's; librtmp takes all but the last byte, ffmpeg trims.
          String answered = body.toString(StandardCharsets.US_ASCII).strip();
          if (!SESSION_ID.matcher(answered).matches()) {
            // It goes into every later path: nothing that could change the path's meaning.
            throw new IllegalStateException("RTMPT /open answered no usable session id");
          }
          id = answered;
          pump();
          return null;
        })
        .onFailure(e -> {
          closed = true;
          client.close();
        });
  }

  @Override
  public void write(Buffer bytes) {
    if (closed) {
      return;
    }
    ByteBuf buf = WireBuffers.unwrap(bytes);
    if (cipher == null) {
      queue.add(buf);
    } else {
      cipher.queue(buf, queue);
    }
    queued += buf.readableBytes();
    if (queued > maxQueuedBytes) {
      fail(queued + " bytes wait for the RTMPT tunnel (maxTunnelQueuedBytes " + maxQueuedBytes + ")");
      return;
    }
    if (!pumpScheduled && !inFlight) {
      // At the end of this turn, so that what the turn writes leaves in one /send.
      pumpScheduled = true;
      context.runOnContext(v -> {
        pumpScheduled = false;
        pump();
      });
    }
  }

  /** Full at half the bound, so that a writer that waits for the drain never reaches the bound's failure. */
  @Override
  public boolean writeQueueFull() {
    return queued + sending >= maxQueuedBytes / 2;
  }

  @Override
  public void drainHandler(Runnable handler) {
    this.drainHandler = handler;
  }

  @Override
  public void encrypt(CipherLayer.Keystream decrypt, long plainIn, CipherLayer.Keystream encrypt, long plainOut) {
    cipher = new TunnelCipher(decrypt, plainIn, encrypt, plainOut);
  }

  @Override
  public void pause() {
    if (elsewhere(this::pause)) {
      return;
    }
    paused = true;
    cancelPoll();
  }

  @Override
  public void resume() {
    if (elsewhere(this::resume)) {
      return;
    }
    paused = false;
    pump();
  }

  /** Runs {@code action} on the transport's context when called from another thread (a test's): true if it did. */
  private boolean elsewhere(Runnable action) {
    if (Vertx.currentContext() == context) {
      return false;
    }
    context.runOnContext(v -> action.run());
    return true;
  }

  /**
   * Sends what was written, as a socket's close does, then {@code /close}, so the server ends the
   * session at once rather than leave it to its reaper; a request in flight (a held idle) is waited for.
   */
  @Override
  public Future<Void> close() {
    if (Vertx.currentContext() != context) {
      Promise<Void> done = Promise.promise();
      context.runOnContext(v -> close().onComplete(done));
      return done.future();
    }
    if (closing != null) {
      return closing.future();
    }
    closing = Promise.promise();
    if (closed || id == null) {
      closed = true;
      client.close().onComplete(closing);
      return closing.future();
    }
    cancelPoll();
    paused = false;
    pump();
    return closing.future();
  }

  /** Sends what waits, or polls, unless a request is in flight, the session is paused or closed. */
  private void pump() {
    if (closed || inFlight || id == null || paused) {
      return;
    }
    cancelPoll();
    if (closing != null && queued == 0) {
      closed = true;
      post(path("close"), Buffer.buffer(new byte[] {0})).<Void>mapEmpty().otherwiseEmpty()
          .eventually(client::close).onComplete(closing);
      return;
    }
    if (queued > 0) {
      CompositeByteBuf body = Unpooled.compositeBuffer(queue.size());
      for (ByteBuf buf = queue.poll(); buf != null; buf = queue.poll()) {
        body.addComponent(true, buf);
      }
      sending = queued;
      queued = 0;
      if (cipher != null) {
        cipher.drained();
      }
      request(path("send"), WireBuffers.wrap(body));
    } else {
      request(path("idle"), Buffer.buffer(new byte[] {0}));
    }
  }

  private void request(String path, Buffer body) {
    inFlight = true;
    post(path, body).onComplete(answered -> {
      inFlight = false;
      boolean wasFull = writeQueueFull();
      sending = 0;
      if (closed) {
        return;
      }
      if (wasFull && drainHandler != null && closing == null && answered.succeeded()) {
        drainHandler.run();
      }
      if (closing != null) {
        // The client closes: the answer's bytes are not for anyone.
        pump();
        return;
      }
      if (answered.failed()) {
        fail(answered.cause().getMessage());
      } else {
        answer(answered.result());
      }
    });
  }

  /** An answer: the polling byte, then the server's bytes. */
  private void answer(Buffer body) {
    if (body.length() == 0) {
      fail("RTMPT answer without the polling byte");
      return;
    }
    int pollingByte = body.getUnsignedByte(0);
    boolean data = body.length() > 1;
    if (data) {
      Buffer bytes = body.slice(1, body.length());
      if (cipher == null) {
        listener.data(bytes);
      } else {
        cipher.receive(bytes, this::deliver);
      }
      if (closed) {
        return;
      }
    }
    if (data || queued > 0 || pollingByte <= 1 || maxPollDelayMillis == 0) {
      pump();
    } else if (!paused) {
      long delay = Math.min((long) (pollingByte - 1) * POLL_UNIT_MILLIS, maxPollDelayMillis);
      pollTimer = context.owner().setTimer(delay, t -> {
        pollTimer = -1;
        pump();
      });
    }
  }

  /** One part of an answer past the cipher: the session may have closed on the part before. */
  private void deliver(Buffer bytes) {
    if (!closed) {
      listener.data(bytes);
    }
  }

  private String path(String command) {
    return "/" + command + "/" + id + "/" + sequence++;
  }

  /** POSTs {@code body} to {@code path}; the answer's body, or a failure for a status other than 200. */
  private Future<Buffer> post(String path, Buffer body) {
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost(url.host()).setPort(url.port())
        .setURI(path).putHeader("Content-Type", CONTENT_TYPE);
    return client.request(request)
        .compose(sent -> sent.send(body))
        .compose(response -> answerBody(path, response));
  }

  private Future<Buffer> answerBody(String path, HttpClientResponse response) {
    if (response.statusCode() != 200) {
      return Future.failedFuture("RTMPT " + path + " answered " + response.statusCode());
    }
    String length = response.getHeader("Content-Length");
    if (length != null && parseLength(length) > maxQueuedBytes) {
      response.request().connection().close();
      return Future.failedFuture("RTMPT " + path + " answer of " + length + " bytes, over maxTunnelQueuedBytes "
          + maxQueuedBytes);
    }
    return response.body();
  }

  private static long parseLength(String value) {
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private void fail(String reason) {
    if (closed) {
      return;
    }
    closed = true;
    cancelPoll();
    queue.clear();
    client.close();
    if (closing != null) {
      closing.tryComplete();
    } else {
      listener.closed(reason);
    }
  }

  private void cancelPoll() {
    if (pollTimer >= 0) {
      context.owner().cancelTimer(pollTimer);
      pollTimer = -1;
    }
  }
}
