package dev.streamedge.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocketClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The flush-per-turn handler on real Vert.x HTTP/1 connections: installed on a connection, and a WebSocket
 * with it flushes a burst of messages once, without it once per message (what a joining WebSocket-FLV
 * player's GOP would cost). If an upgrade stopped exposing the pipeline, {@link HttpFlushes} would fail
 * here and at the node's start instead of silently flushing at every write.
 */
@Tag("unit")
class HttpFlushesTest {

  private static final int BURST = 50;

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
  void aWebSocketWithItFlushesABurstOnce() throws Exception {
    Burst burst = burst(true);

    assertThat(burst.installed).isTrue();
    assertThat(burst.flushes).isEqualTo(1);
  }

  @Test
  void aWebSocketWithoutItFlushesEveryMessage() throws Exception {
    Burst burst = burst(false);

    assertThat(burst.installed).isFalse();
    assertThat(burst.flushes).isEqualTo(BURST);
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
    int port = listen(server);
    // Held until the answer is in: Vert.x closes a client nothing references when the GC finds it ("Pool closed").
    HttpClient client = vertx.createHttpClient();
    String body = client.request(HttpMethod.GET, port, "127.0.0.1", "/")
        .compose(request -> request.send().compose(response -> response.body()))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).toString();
    client.close();

    assertThat(body).isEqualTo("ok");
    assertThat(installed.get(10, TimeUnit.SECONDS)).isTrue();
  }

  /** What a burst of {@link #BURST} messages, written in one event-loop turn outside any read, cost. */
  private record Burst(boolean installed, int flushes) {
  }

  private Burst burst(boolean perTurn) throws Exception {
    AtomicInteger flushes = new AtomicInteger();
    CompletableFuture<Burst> sent = new CompletableFuture<>();
    HttpServer server = vertx.createHttpServer().connectionHandler(connection -> {
      if (perTurn) {
        HttpFlushes.perTurn(connection);
      }
    }).requestHandler(request -> {
      HttpConnection connection = request.connection();
      request.toWebSocket().onSuccess(ws -> {
        countFlushes(connection, flushes);
        // A timer's turn: no read of this connection in progress, as when a stream's packets arrive.
        vertx.setTimer(10, t -> {
          // The 101's own flush, if it came after the counter, is not the burst's.
          flushes.set(0);
          for (int i = 0; i < BURST; i++) {
            ws.writeBinaryMessage(Buffer.buffer(new byte[] {(byte) i}));
          }
          // Queued behind the handler's flush task, if it scheduled one.
          vertx.getOrCreateContext().runOnContext(v ->
              sent.complete(new Burst(HttpFlushes.installed(connection), flushes.get())));
        });
      }).onFailure(sent::completeExceptionally);
    });
    int port = listen(server);
    CountDownLatch received = new CountDownLatch(BURST);
    WebSocketClient client = vertx.createWebSocketClient();
    client.connect(port, "127.0.0.1", "/").onSuccess(ws -> ws.binaryMessageHandler(m -> received.countDown()));

    Burst burst = sent.get(10, TimeUnit.SECONDS);
    assertThat(received.await(10, TimeUnit.SECONDS)).as("every message arrived").isTrue();
    return burst;
  }

  /** Counts the flushes that reach the socket, from now on. */
  private static void countFlushes(HttpConnection connection, AtomicInteger flushes) {
    HttpChannels.of(connection).pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
      @Override
      public void flush(ChannelHandlerContext ctx) {
        flushes.incrementAndGet();
        ctx.flush();
      }
    });
  }

  private static int listen(HttpServer server) throws Exception {
    return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS).actualPort();
  }
}
