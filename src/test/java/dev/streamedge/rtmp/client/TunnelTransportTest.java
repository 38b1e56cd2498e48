package dev.streamedge.rtmp.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The RTMPT tunnel as the client drives it, against an HTTP server of the test's that logs each request:
 * {@code /open/1}, then {@code /send} and {@code /idle} with sequence numbers counting from 0, one at a
 * time, as {@code application/x-fcs}; the answers' bytes after the polling byte reach the session in
 * order; the queue of bytes waiting for a {@code /send} holds {@code maxTunnelQueuedBytes} and fails at
 * one more; a polling byte that asks for a pause after an empty answer is honoured up to
 * {@code maxPollDelayMillis}; {@code close} sends what waits, then {@code /close}.
 */
@Tag("unit")
class TunnelTransportTest {

  /** One request as the server got it. */
  private record Request(String path, String contentType, String body, long nanos) {
  }

  private final Vertx vertx = Vertx.vertx();
  /** The client's context: the transport is made and used there, as a session does. */
  private final Context context = vertx.getOrCreateContext();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final CompletableFuture<String> closed = new CompletableFuture<>();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void requestsGoInOrderOneAtATimeAndAnswersReachTheSession() throws Exception {
    int[] answered = {0};
    int port = server(request -> {
      if (request.path().startsWith("/idle/") && answered[0]++ < 2) {
        // Two answers with data, the first two idles: the session gets them in order.
        request.response().end(Buffer.buffer(new byte[] {1}).appendString("part" + answered[0]));
      } else if (request.path().startsWith("/idle/")) {
        vertx.setTimer(50, t -> request.response().end(Buffer.buffer(new byte[] {1})));
      } else {
        request.response().end(Buffer.buffer(new byte[] {1}));
      }
    });
    TunnelTransport tunnel = open(port, RtmpClientOptions.defaults());
    Await.until("both answers' bytes at the session", Duration.ofSeconds(5), () -> received.size() == 2);
    onContext(() -> {
      tunnel.write(Buffer.buffer("hello "));
      tunnel.write(Buffer.buffer("world"));
    });
    Await.until("a /send", Duration.ofSeconds(5),
        () -> requests.stream().anyMatch(r -> r.path().startsWith("/send/")));
    onContext(tunnel::close);
    Await.until("a /close", Duration.ofSeconds(5),
        () -> requests.stream().anyMatch(r -> r.path().startsWith("/close/")));

    assertThat(received).containsExactly("part1", "part2");
    assertThat(requests.get(0).path()).isEqualTo("/open/1");
    Request send = requests.stream().filter(r -> r.path().startsWith("/send/")).findFirst().orElseThrow();
    assertThat(send.body()).as("one turn's writes in one /send").isEqualTo("hello world");
    for (int i = 1; i < requests.size(); i++) {
      assertThat(requests.get(i).path()).as("request " + i).matches("/(send|idle|close)/s1/" + (i - 1));
      assertThat(requests.get(i).contentType()).isEqualTo("application/x-fcs");
    }
    assertThat(closed).as("the session hears nothing of its own close").isNotDone();
  }

  @Test
  void theQueueHoldsItsBoundAndFailsAtOneByteMore() throws Exception {
    // Idle polls are never answered: every write waits in the queue.
    int port = server(request -> {
      if (!request.path().startsWith("/idle/")) {
        request.response().end(Buffer.buffer(new byte[] {1}));
      }
    });
    TunnelTransport tunnel = open(port, RtmpClientOptions.defaults().withMaxTunnelQueuedBytes(10_000));
    Await.until("two requests", Duration.ofSeconds(5), () -> requests.size() == 2);
    // The bound is checked in write() itself: once the write has run, its verdict is in.
    CompletableFuture<Void> written = new CompletableFuture<>();
    onContext(() -> {
      tunnel.write(Buffer.buffer(new byte[10_000]));
      written.complete(null);
    });
    written.get(5, TimeUnit.SECONDS);
    assertThat(closed).as("at the bound").isNotDone();
    onContext(() -> tunnel.write(Buffer.buffer(new byte[1])));
    assertThat(closed.get(5, TimeUnit.SECONDS)).contains("10001 bytes", "maxTunnelQueuedBytes 10000");
  }

  @Test
  void aPollingByteThatAsksForAPauseSpacesTheIdlesUpToTheMaximum() throws Exception {
    // Red5's byte on an idle session: 0x21, 320 ms, over the client's maximum of 250 ms.
    int port = server(request -> request.response().end(Buffer.buffer(new byte[] {0x21})));
    open(port, RtmpClientOptions.defaults());
    // The measurement window: what the client sends in it.
    Thread.sleep(1_200);
    List<Request> idles = requests.stream().filter(r -> r.path().startsWith("/idle/")).toList();
    assertThat(idles.size()).as("idle polls in 1.2 s").isBetween(3, 6);
    for (int i = 1; i < idles.size(); i++) {
      assertThat((idles.get(i).nanos() - idles.get(i - 1).nanos()) / 1_000_000).as("ms between idles")
          .isGreaterThanOrEqualTo(240);
    }
  }

  private int server(Consumer<HttpServerRequest> answer) throws Exception {
    HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      requests.add(new Request(request.path(), request.getHeader("Content-Type"),
          body.toString(StandardCharsets.ISO_8859_1), System.nanoTime()));
      if (request.path().equals("/open/1")) {
        request.response().end("s1\n");
      } else {
        answer.accept(request);
      }
    }));
    return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS)
        .actualPort();
  }

  private TunnelTransport open(int port, RtmpClientOptions options) throws Exception {
    CompletableFuture<TunnelTransport> made = new CompletableFuture<>();
    onContext(() -> made.complete(new TunnelTransport(vertx, RtmpUrl.parse("rtmpt://127.0.0.1:" + port + "/live/x"),
        options)));
    TunnelTransport tunnel = made.get(5, TimeUnit.SECONDS);
    tunnel.open(new ClientTransport.Listener() {
      @Override
      public void data(Buffer bytes) {
        received.add(bytes.toString(StandardCharsets.ISO_8859_1));
      }

      @Override
      public void closed(String reason) {
        closed.complete(reason);
      }
    }).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    return tunnel;
  }

  private void onContext(Runnable action) {
    context.runOnContext(v -> action.run());
  }
}
