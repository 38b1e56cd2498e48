package dev.streamedge.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The flush-per-turn handler reaches real Vert.x HTTP/1 connections: if an upgrade stopped exposing
 * their pipeline, {@link HttpFlushes} would fail here and at the node's start instead of silently
 * flushing at every write.
 */
@Tag("unit")
class HttpFlushesTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void thisVertxVersionIsSupported() {
    HttpFlushes.requireSupported();
  }

  @Test
  void installsItsHandlerOnAServerConnection() throws Exception {
    CompletableFuture<Boolean> installed = new CompletableFuture<>();
    HttpServer server = vertx.createHttpServer()
        .connectionHandler(connection -> {
          try {
            HttpFlushes.perTurn(connection);
            installed.complete(HttpFlushes.installed(connection));
          } catch (RuntimeException e) {
            installed.completeExceptionally(e);
          }
        })
        .requestHandler(request -> request.response().end("ok"));
    int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS).actualPort();
    HttpClient client = vertx.createHttpClient();
    String body = client.request(HttpMethod.GET, port, "127.0.0.1", "/")
        .compose(request -> request.send().compose(response -> response.body()))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).toString();

    assertThat(body).isEqualTo("ok");
    assertThat(installed.get(10, TimeUnit.SECONDS)).isTrue();
  }
}
