package dev.streamedge.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Real contexts, a recording subscriber and a recording publisher for the stream-core tests. */
final class StreamHarness {

  static final long TIMEOUT_SECONDS = 10;

  private StreamHarness() {
  }

  /**
   * Publish rules under which a second publisher gets its answer at once, whatever the first one does:
   * tests of the fan-out and of the policy itself. The quiet time and the rate bound have their own test.
   */
  static PublishRules atOnce(PublishPolicy policy) {
    return new PublishRules(policy, Duration.ZERO, 1000);
  }

  /** A new event-loop context of its own (one verticle deployment each). */
  static Context newContext(Vertx vertx) throws Exception {
    CompletableFuture<Context> result = new CompletableFuture<>();
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() throws Exception {
        result.complete(context);
        return super.start();
      }
    });
    return result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /** Runs {@code action} on {@code context} and returns its result. */
  static <T> T call(Context context, Callable<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        result.complete(action.call());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    return result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  static void run(Context context, Runnable action) throws Exception {
    call(context, () -> {
      action.run();
      return null;
    });
  }

  /** Starts {@code action} on {@code context} and waits for the future it returns. */
  static <T> T await(Context context, Supplier<Future<T>> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> action.get().onComplete(done -> {
      if (done.succeeded()) {
        result.complete(done.result());
      } else {
        result.completeExceptionally(done.cause());
      }
    }));
    return result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  // Bodies: real FLV flag bytes followed by a 4-byte sequence number that names the packet.

  static ByteBuf keyframe(int seq) {
    return Unpooled.buffer().writeByte(0x17).writeByte(0x01).writeInt(seq);
  }

  static ByteBuf interframe(int seq) {
    return Unpooled.buffer().writeByte(0x27).writeByte(0x01).writeInt(seq);
  }

  static ByteBuf videoConfig(int seq) {
    return Unpooled.buffer().writeByte(0x17).writeByte(0x00).writeInt(seq);
  }

  static ByteBuf audioConfig(int seq) {
    return Unpooled.buffer().writeByte(0xAF).writeByte(0x00).writeInt(seq);
  }

  static ByteBuf audioFrame(int seq) {
    return Unpooled.buffer().writeByte(0xAF).writeByte(0x01).writeInt(seq);
  }

  static ByteBuf metadataBody(int seq) {
    return Unpooled.buffer().writeByte(0x02).writeByte(0x00).writeInt(seq);
  }

  static int seq(MediaPacket packet) {
    ByteBuf body = packet.body();
    return body.getInt(body.readerIndex() + 2);
  }

  static final class TestPublisher implements StreamPublisher {
    final String peer;
    final List<String> kicks = new CopyOnWriteArrayList<>();

    TestPublisher(String peer) {
      this.peer = peer;
    }

    @Override
    public void kick(String reason) {
      kicks.add(reason);
    }

    @Override
    public String peer() {
      return peer;
    }
  }

  sealed interface Event permits Attached, Packet, Published, Unpublished {
  }

  record Attached(List<MediaPacket> start, boolean live) implements Event {
  }

  record Packet(MediaPacket packet) implements Event {
  }

  record Published() implements Event {
  }

  record Unpublished() implements Event {
  }

  /** Records every call in order; counts calls made off its own context. */
  static final class RecordingSubscriber implements StreamSubscriber {
    private final Context context;
    private final List<Event> events = new ArrayList<>();
    final AtomicInteger offContext = new AtomicInteger();

    RecordingSubscriber(Context context) {
      this.context = context;
    }

    @Override
    public Context context() {
      return context;
    }

    private synchronized void record(Event event) {
      if (Vertx.currentContext() != context) {
        offContext.incrementAndGet();
      }
      events.add(event);
      notifyAll();
    }

    @Override
    public void attached(List<MediaPacket> startPackets, boolean live) {
      record(new Attached(List.copyOf(startPackets), live));
    }

    @Override
    public void packet(MediaPacket packet) {
      record(new Packet(packet));
    }

    @Override
    public void published() {
      record(new Published());
    }

    @Override
    public void unpublished() {
      record(new Unpublished());
    }

    synchronized List<Event> events() {
      return List.copyOf(events);
    }

    /** Every media packet delivered, the start packets first. */
    synchronized List<MediaPacket> packets() {
      List<MediaPacket> out = new ArrayList<>();
      for (Event event : events) {
        if (event instanceof Attached attached) {
          out.addAll(attached.start());
        } else if (event instanceof Packet packet) {
          out.add(packet.packet());
        }
      }
      return out;
    }

    /** Waits until the recorded events satisfy {@code condition}. */
    synchronized void awaitEvents(String what, Predicate<List<Event>> condition) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
      while (!condition.test(events)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("timed out waiting for " + what + "; events: " + events.size());
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }

    void awaitPacket(String what, Predicate<MediaPacket> match) throws InterruptedException {
      awaitEvents(what, events -> {
        for (Event event : events) {
          if (event instanceof Attached attached && attached.start().stream().anyMatch(match)) {
            return true;
          }
          if (event instanceof Packet packet && match.test(packet.packet())) {
            return true;
          }
        }
        return false;
      });
    }

    void awaitSeq(int seq) throws InterruptedException {
      awaitPacket("packet " + seq, p -> seq(p) == seq);
    }

    void assertAllOnOwnContext() {
      assertThat(offContext.get()).as("calls made off the subscriber's context").isZero();
    }
  }
}
