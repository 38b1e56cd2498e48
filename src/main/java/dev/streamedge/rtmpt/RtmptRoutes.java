package dev.streamedge.rtmpt;

import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.session.Protocol;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTMPT requests of one HTTP listener instance: {@code POST /open/1} opens a session and answers
 * its id and a newline; {@code /send/<id>/<seq>} delivers its body to the session's RTMP connection
 * and answers what the session has queued; {@code /idle/<id>/<seq>} answers the same, held while there
 * is nothing (see {@link RtmptSession}); {@code /close/<id>/<seq>} ends the session. {@code
 * /fcs/ident2}, which Flash Player asks first, gets a 404 as from Flash Media Server.
 *
 * <p>Answers: an unknown or closed session is 404; a sequence number not above the session's last
 * (a replayed or reordered request) is 400 and closes the session, whose answer bytes the client has
 * lost; a body over {@code rtmpt.max-request-body} is 413, closes the session and the HTTP connection;
 * {@code /open} past {@code rtmpt.max-sessions} or while the node drains is 503.
 *
 * <p>A request on the session's own event loop, the usual case (a client keeps one connection), is
 * handled in place and its body streamed to the session without a copy; one from another event loop
 * (a client that reconnected) has its body gathered and hops to the session's loop, and its answer
 * hops back.
 */
public final class RtmptRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(RtmptRoutes.class);
  private static final RateLimitedLog UNKNOWN_LOG = RateLimitedLog.of(LOG, "rtmpt unknown session");
  private static final RateLimitedLog REFUSED_LOG = RateLimitedLog.of(LOG, "rtmpt refused");

  private final RtmptSessions sessions;
  private final BooleanSupplier draining;

  /** {@code draining} says when the node takes no new session. */
  public RtmptRoutes(RtmptSessions sessions, BooleanSupplier draining) {
    this.sessions = sessions;
    this.draining = draining;
  }

  public void mount(Router router) {
    router.post("/fcs/ident2").handler(ctx -> {
      Answer answer = answer(ctx);
      body(ctx.request(), null, () -> answer.status(404, false), answer);
    });
    router.postWithRegex("/open/[0-9]{1,18}").handler(this::open);
    router.postWithRegex("/(send|idle|close)/([0-9a-f]{1,64})/([0-9]{1,18})")
        .handler(ctx -> request(ctx, ctx.pathParam("param0"), ctx.pathParam("param1"),
            Long.parseLong(ctx.pathParam("param2"))));
  }

  private void open(RoutingContext ctx) {
    sessions.countRequest();
    Answer answer = answer(ctx);
    HttpServerRequest request = ctx.request();
    body(request, null, () -> {
      if (draining.getAsBoolean()) {
        answer.status(503, false);
        return;
      }
      SocketAddress remote = request.remoteAddress();
      String peer = String.valueOf(remote);
      RtmptSession session = sessions.open(Vertx.currentContext(), peer, remote == null ? "" : remote.hostAddress(),
          request.isSSL() ? Protocol.RTMPTS : Protocol.RTMPT);
      if (session == null) {
        REFUSED_LOG.warn("refused {}: rtmpt.max-sessions reached", peer);
        answer.status(503, false);
      } else if (!session.isOpen()) {
        // The RTMP connection refused it at once (the node's client registry is full) and said why.
        answer.status(503, false);
      } else {
        // librtmp takes the body less its last byte as the id; ffmpeg strips trailing white space.
        answer.ok(session.id() + "\n");
      }
    }, answer);
  }

  private void request(RoutingContext ctx, String command, String id, long sequence) {
    sessions.countRequest();
    Answer answer = answer(ctx);
    HttpServerRequest request = ctx.request();
    RtmptSession session = sessions.get(id);
    if (session == null) {
      UNKNOWN_LOG.info("rtmpt {} {}: unknown session {}", command, request.remoteAddress(), id);
      body(request, null, () -> answer.status(404, false), answer);
      return;
    }
    boolean send = command.equals("send");
    if (session.context() == Vertx.currentContext()) {
      if (!session.sequence(sequence)) {
        body(request, null, () -> refuseSequence(session, command, sequence, answer), answer);
        return;
      }
      Handler<Buffer> toSession = send ? session::receive : null;
      body(request, toSession, () -> dispatch(command, session, null, answer), answer, session);
      return;
    }
    Buffer gathered = send ? Buffer.buffer() : null;
    body(request, send ? gathered::appendBuffer : null, () -> session.context().runOnContext(v -> {
      if (!session.sequence(sequence)) {
        refuseSequence(session, command, sequence, answer);
      } else {
        dispatch(command, session, gathered, answer);
      }
    }), answer, session);
  }

  private static void dispatch(String command, RtmptSession session, Buffer body, Answer answer) {
    switch (command) {
      case "send" -> {
        if (body != null && body.length() > 0) {
          session.receive(body);
        }
        session.answer(answer);
      }
      case "idle" -> session.hold(answer);
      default -> session.closeByClient(answer);
    }
  }

  private static void refuseSequence(RtmptSession session, String command, long sequence, Answer answer) {
    answer.status(400, false);
    session.fail("RTMPT " + command + " with sequence number " + sequence + " after " + session.lastSequence()
        + ": replayed or out of order");
  }

  private void body(HttpServerRequest request, Handler<Buffer> chunks, Runnable done, Answer answer) {
    body(request, chunks, done, answer, null);
  }

  /**
   * Reads a request body of at most {@code rtmpt.max-request-body} bytes, each piece to {@code chunks}
   * (or nowhere), then runs {@code done}. A longer body is answered 413 and closes the HTTP connection,
   * and {@code session}, if any, on its own context.
   */
  private void body(HttpServerRequest request, Handler<Buffer> chunks, Runnable done, Answer answer,
      RtmptSession session) {
    long limit = sessions.maxRequestBody();
    long[] read = new long[1];
    request.handler(piece -> {
      if (read[0] < 0) {
        return;
      }
      read[0] += piece.length();
      if (read[0] > limit) {
        read[0] = -1;
        answer.status(413, true);
        if (session != null) {
          session.context().runOnContext(v -> session.fail("a /send body over rtmpt.max-request-body (" + limit
              + " bytes)"));
        }
      } else if (chunks != null) {
        chunks.handle(piece);
      }
    });
    request.endHandler(v -> {
      if (read[0] >= 0) {
        done.run();
      }
    });
    request.resume();
  }

  private static Answer answer(RoutingContext ctx) {
    Context context = Vertx.currentContext();
    return new Answer(ctx.request(), context);
  }
}
