package dev.streamedge.rtmpt;

import dev.streamedge.net.WireBuffers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * The answer one RTMPT request waits for. Written on the context of the HTTP connection that carries
 * the request, which may differ from its session's: a session lives on the event loop of its
 * {@code /open}, and a client that reconnects may land on another.
 */
final class Answer {

  static final String CONTENT_TYPE = "application/x-fcs";

  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final Context context;

  Answer(HttpServerRequest request, Context context) {
    this.request = request;
    this.response = request.response();
    this.context = context;
  }

  /** 200 with {@code body}, whose bytes are not modified afterwards. */
  void ok(ByteBuf body) {
    run(() -> {
      if (response.ended() || response.closed()) {
        return;
      }
      // librtmp finds the length by "Content-" then "length:" and reads one space after the colon, and
      // takes nothing but an "HTTP/1.1 200 " status line: Vert.x's lower-case header would fail it.
      response.setStatusCode(200)
          .putHeader("Content-Type", CONTENT_TYPE)
          .putHeader("Content-Length", String.valueOf(body.readableBytes()))
          .putHeader("Cache-Control", "no-cache")
          .end(WireBuffers.wrap(body));
    });
  }

  /** 200 with {@code text} (the session id of an {@code /open}). */
  void ok(String text) {
    ok(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.US_ASCII)));
  }

  /** An error status with an empty body; {@code close} closes the HTTP connection after it. */
  void status(int code, boolean close) {
    run(() -> {
      if (response.ended() || response.closed()) {
        return;
      }
      response.setStatusCode(code).putHeader("Content-Length", "0");
      if (close) {
        response.putHeader("Connection", "close");
      }
      response.end();
      if (close) {
        request.connection().close();
      }
    });
  }

  /**
   * Whether the HTTP connection takes more bytes: one that holds a full write queue belongs to a client
   * that does not read its answers, and gets none of the session's bytes. Only meaningful on the
   * answer's own context; elsewhere it says yes.
   */
  boolean writable() {
    return Vertx.currentContext() != context || !response.writeQueueFull();
  }

  private void run(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
