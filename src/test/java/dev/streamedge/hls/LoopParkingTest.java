package dev.streamedge.hls;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * LL-HLS requests parked on the HTTP event loop that received them: answered there by the first
 * snapshot the packager publishes (from its own loop) that has what they wait for, with 503 when the
 * stream stalls and 404 once packaging stops, within the node-wide bound; and no wake-up is lost when
 * a snapshot comes while a request parks. Each request runs on a duplicate of its loop's context, as
 * Vert.x's HTTP server runs every request.
 */
@Tag("unit")
class LoopParkingTest {

  private static final long OPEN = 103;
  private final Vertx vertx = Vertx.vertx();
  private final AtomicInteger nodeBlocked = new AtomicInteger();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Segments 100 to 102 finished, segment 103 open with {@code openParts} parts (numbered from 1000). */
  private static HlsSnapshot snapshot(int openParts, LoopParking parking) {
    List<HlsSegment> segments = new ArrayList<>();
    for (long s = 100; s < OPEN; s++) {
      segments.add(new HlsSegment(s, 0, false, 2000, 0, Buffer.buffer("ts" + s), Buffer.buffer("m4s" + s), 7));
    }
    List<HlsPart> parts = new ArrayList<>();
    for (int i = 0; i < openParts; i++) {
      parts.add(new HlsPart(1000 + i, OPEN, i, 200, i == 0, Buffer.buffer("part" + (1000 + i))));
    }
    return new HlsSnapshot(() -> { }, segments, parts, Map.of(7L, Buffer.buffer("init")), 6, 2, null,
        new HlsSnapshot.LowLatencyState(new HlsWindow.OpenSegment(OPEN, false, 7, 0), 1000 + openParts, 200),
        parking);
  }

  @Test
  void aParkedRequestIsAnsweredOnItsOwnLoopByTheSnapshotThatHasItsPart() throws Exception {
    LoopParking parking = new LoopParking(nodeBlocked, 100);
    ContextInternal request = context();
    ContextInternal packager = otherLoopThan(request);
    HlsSnapshot oneOpenPart = snapshot(1, parking);
    packager.runOnContext(v -> parking.published(oneOpenPart));

    CompletableFuture<Thread> requestThread = new CompletableFuture<>();
    AtomicReference<Thread> answeredOn = new AtomicReference<>();
    CompletableFuture<HlsReply> playlist = new CompletableFuture<>();
    CompletableFuture<HlsReply> hint = new CompletableFuture<>();
    request.runOnContext(v -> {
      requestThread.complete(Thread.currentThread());
      parking.playlist(request.duplicate(), oneOpenPart, OPEN, 1, "", false).onComplete(done -> {
        answeredOn.set(Thread.currentThread());
        playlist.complete(done.result());
      });
      parking.part(request.duplicate(), oneOpenPart, 1001).onComplete(done -> hint.complete(done.result()));
    });
    Thread.sleep(200);
    assertThat(playlist).as("part 1 of the open segment is not made yet").isNotDone();
    assertThat(nodeBlocked).hasValue(2);

    HlsSnapshot twoOpenParts = snapshot(2, parking);
    packager.runOnContext(v -> parking.published(twoOpenParts));
    HlsReply answer = playlist.get(5, TimeUnit.SECONDS);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body().toString()).contains("URI=\"p1001.m4s\"")
        .endsWith("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"p1002.m4s\"\n");
    assertThat(answeredOn.get()).as("answered on the request's loop").isSameAs(requestThread.get());
    assertThat(hint.get(5, TimeUnit.SECONDS).body().toString()).isEqualTo("part1001");
    assertThat(nodeBlocked).hasValue(0);
    assertThat(parking.loops()).as("one state per event loop, not per request's duplicated context").isOne();
  }

  @Test
  void waitingRequestsGet503WhenTheStreamStallsAnd404OnceItStops() throws Exception {
    LoopParking parking = new LoopParking(nodeBlocked, 2);
    ContextInternal request = context();
    HlsSnapshot now = snapshot(1, parking);
    parking.published(now);
    CompletableFuture<HlsReply> first = answerOf(request, parking, now, OPEN + 1);
    CompletableFuture<HlsReply> second = answerOf(request, parking, now, OPEN + 1);
    assertThat(ask(request, parking, now, OPEN + 1).result()).as("beyond hls.max-blocked-requests")
        .isEqualTo(HlsReply.UNAVAILABLE);
    assertThat(first).isNotDone();
    assertThat(second).isNotDone();

    parking.stalled();
    assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(HlsReply.UNAVAILABLE);
    assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(HlsReply.UNAVAILABLE);
    awaitZero();

    CompletableFuture<HlsReply> stopped = answerOf(request, parking, now, OPEN + 1);
    parking.ended(HlsReply.NOT_FOUND);
    assertThat(stopped.get(5, TimeUnit.SECONDS)).isEqualTo(HlsReply.NOT_FOUND);
    assertThat(answerOf(request, parking, now, OPEN + 1).get(5, TimeUnit.SECONDS))
        .as("a request that parks after the stop").isEqualTo(HlsReply.NOT_FOUND);
    awaitZero();
  }

  @Test
  void noWakeUpIsLostWhenASnapshotComesWhileARequestParks() throws Exception {
    LoopParking parking = new LoopParking(nodeBlocked, 100);
    ContextInternal request = context();
    ContextInternal packager = otherLoopThan(request);
    int rounds = 2000;
    for (int round = 0; round < rounds; round++) {
      HlsSnapshot before = snapshot(1, parking);
      HlsSnapshot after = snapshot(2, parking);
      CompletableFuture<Void> published = new CompletableFuture<>();
      packager.runOnContext(v -> parking.published(before));
      CompletableFuture<HlsReply> answer = new CompletableFuture<>();
      // The request sees `before` and parks while the packager publishes `after` on its own loop.
      request.runOnContext(v -> {
        packager.runOnContext(w -> {
          parking.published(after);
          published.complete(null);
        });
        parking.playlist(request.duplicate(), before, OPEN, 1, "", false)
            .onComplete(done -> answer.complete(done.result()));
      });
      published.get(5, TimeUnit.SECONDS);
      assertThat(answer.get(5, TimeUnit.SECONDS).status()).as("round " + round).isEqualTo(200);
    }
    assertThat(nodeBlocked).hasValue(0);
    assertThat(parking.loops()).isOne();
  }

  private static Future<HlsReply> ask(Context request, LoopParking parking, HlsSnapshot seen, long msn)
      throws Exception {
    CompletableFuture<Future<HlsReply>> asked = new CompletableFuture<>();
    request.runOnContext(v -> asked.complete(parking.playlist(((ContextInternal) request).duplicate(), seen, msn, -1, "", false)));
    return asked.get(5, TimeUnit.SECONDS);
  }

  private static CompletableFuture<HlsReply> answerOf(Context request, LoopParking parking, HlsSnapshot seen,
      long msn) throws Exception {
    CompletableFuture<HlsReply> answer = new CompletableFuture<>();
    ask(request, parking, seen, msn).onComplete(done -> answer.complete(done.result()));
    return answer;
  }

  private void awaitZero() throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (nodeBlocked.get() != 0 && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertThat(nodeBlocked).hasValue(0);
  }

  private ContextInternal context() {
    return ((VertxInternal) vertx).createEventLoopContext();
  }

  private ContextInternal otherLoopThan(ContextInternal caller) {
    for (int i = 0; i < 64; i++) {
      ContextInternal candidate = context();
      if (candidate.nettyEventLoop() != caller.nettyEventLoop()) {
        return candidate;
      }
    }
    throw new AssertionError("no second event loop");
  }
}
