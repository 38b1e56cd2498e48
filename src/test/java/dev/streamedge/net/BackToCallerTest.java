package dev.streamedge.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An answer computed on another event loop reaches its caller's: an HTTP response in Vert.x's strict
 * thread mode may only be written there. Two event loops, a future that belongs to the other one,
 * and the listener's thread checked, whether it is added before or after the answer is in.
 */
@Tag("unit")
class BackToCallerTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aFutureOfAnotherEventLoopCallsBackOnTheCallersLoop() throws Exception {
    ContextInternal caller = ((VertxInternal) vertx).createEventLoopContext();
    ContextInternal other = otherLoopThan(caller);
    for (boolean completedFirst : new boolean[] {false, true}) {
      CompletableFuture<Thread> listenerThread = new CompletableFuture<>();
      CompletableFuture<Thread> callerThread = new CompletableFuture<>();
      caller.runOnContext(v -> {
        callerThread.complete(Thread.currentThread());
        Promise<String> answer = other.promise();
        if (completedFirst) {
          // Completed on its own loop before the caller asks: a plain listener would run there.
          CompletableFuture<Void> done = new CompletableFuture<>();
          other.runOnContext(w -> {
            answer.complete("ready");
            done.complete(null);
          });
          done.join();
        } else {
          other.runOnContext(w -> answer.complete("ready"));
        }
        Future<String> back = EventLoops.backTo(caller, answer.future());
        back.onComplete(done -> listenerThread.complete(Thread.currentThread()));
      });
      assertThat(listenerThread.get(5, TimeUnit.SECONDS)).as("completed first: " + completedFirst)
          .isSameAs(callerThread.get());
    }
  }

  @Test
  void aTransformedFutureWouldNotDoIt() throws Exception {
    // Why backTo takes the future itself: transform's future belongs to the source's context, so even
    // a step that completes on the caller's loop calls the listener on the source's.
    ContextInternal caller = ((VertxInternal) vertx).createEventLoopContext();
    ContextInternal other = otherLoopThan(caller);
    CompletableFuture<Thread> listenerThread = new CompletableFuture<>();
    CompletableFuture<Thread> otherThread = new CompletableFuture<>();
    caller.runOnContext(v -> {
      Promise<String> answer = other.promise();
      other.runOnContext(w -> {
        otherThread.complete(Thread.currentThread());
        answer.complete("ready");
      });
      answer.future().transform(done -> EventLoops.backTo(caller, done.result()))
          .onComplete(done -> listenerThread.complete(Thread.currentThread()));
    });
    assertThat(listenerThread.get(5, TimeUnit.SECONDS)).isSameAs(otherThread.get());
  }

  private ContextInternal otherLoopThan(Context caller) {
    for (int i = 0; i < 64; i++) {
      ContextInternal candidate = ((VertxInternal) vertx).createEventLoopContext();
      if (candidate.nettyEventLoop() != ((ContextInternal) caller).nettyEventLoop()) {
        return candidate;
      }
    }
    throw new AssertionError("no second event loop");
  }
}
