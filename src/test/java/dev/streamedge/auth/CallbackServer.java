package dev.streamedge.auth;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The operator's auth service, as a test plays it: a Vert.x HTTP server on 127.0.0.1 that records every
 * form it is posted and answers with the status {@code answer} gives, or holds the request unanswered
 * when it gives {@link #HOLD}.
 */
final class CallbackServer implements AutoCloseable {

  /** The answer that keeps the request open until the server closes. */
  static final int HOLD = -1;

  /**
   * One call: its method and path, its form as sent (a POST's body, or a GET's query), its form fields in order
   * (decoded by Netty), and when it came.
   */
  record Call(String method, String path, String contentType, String body, Map<String, String> form,
      long receivedNanos) {
    String field(String name) {
      return form.get(name);
    }
  }

  final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final Function<Call, Integer> answer;
  private final Function<Call, String> location;
  /** How long each answer waits, as a slow auth service's would. */
  private final long delayMillis;

  private CallbackServer(Function<Call, Integer> answer, Function<Call, String> location, long delayMillis)
      throws Exception {
    this.answer = answer;
    this.location = location;
    this.delayMillis = delayMillis;
    this.server = vertx.createHttpServer().requestHandler(this::handle)
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static CallbackServer start(Function<Call, Integer> answer) throws Exception {
    return new CallbackServer(answer, call -> null, 0);
  }

  /** As {@link #start(Function)}, each answer sent {@code delayMillis} after its request came. */
  static CallbackServer startSlow(Function<Call, Integer> answer, long delayMillis) throws Exception {
    return new CallbackServer(answer, call -> null, delayMillis);
  }

  /** As {@link #start(Function)}, with a {@code Location} header where {@code location} gives one (not null). */
  static CallbackServer start(Function<Call, Integer> answer, Function<Call, String> location) throws Exception {
    return new CallbackServer(answer, location, 0);
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  List<Call> calls(String call) {
    return calls.stream().filter(c -> call.equals(c.field("call"))).toList();
  }

  /** The calls of kind {@code call} (publish, play, publish_done, ...) about the stream {@code app/name}. */
  List<Call> calls(String call, String app, String name) {
    return calls(call).stream().filter(c -> app.equals(c.field("app")) && name.equals(c.field("name"))).toList();
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(buffer -> {
      String body = request.method() == HttpMethod.GET && request.query() != null ? request.query() : buffer.toString();
      Map<String, String> form = new LinkedHashMap<>();
      new QueryStringDecoder(body, false).parameters()
          .forEach((name, values) -> form.put(name, String.join(",", values)));
      Call call = new Call(request.method().name(), request.path(), request.getHeader("Content-Type"), body, form,
          System.nanoTime());
      calls.add(call);
      int status = answer.apply(call);
      if (status == HOLD) {
        return;
      }
      if (delayMillis > 0) {
        vertx.setTimer(delayMillis, t -> answer(request, call, status));
      } else {
        answer(request, call, status);
      }
    });
  }

  private void answer(HttpServerRequest request, Call call, int status) {
    String to = location.apply(call);
    if (to != null) {
      request.response().putHeader("Location", to);
    }
    request.response().setStatusCode(status).end("answer " + status);
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
