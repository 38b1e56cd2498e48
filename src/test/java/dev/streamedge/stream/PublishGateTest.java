package dev.streamedge.stream;

import static dev.streamedge.stream.StreamHarness.await;
import static dev.streamedge.stream.StreamHarness.newContext;
import static dev.streamedge.stream.StreamHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.media.WireFormats;
import dev.streamedge.stream.StreamHarness.TestPublisher;
import dev.streamedge.testing.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** How the stream core asks a {@link PublishGate} (the cluster's stream directory) before publishing. */
@Tag("unit")
class PublishGateTest {

  private static Vertx vertx;
  private static Context context;

  @BeforeAll
  static void startVertx() throws Exception {
    vertx = Vertx.vertx();
    context = newContext(vertx);
  }

  @AfterAll
  static void stopVertx() throws Exception {
    await(vertx.close());
  }

  @Test
  void aRefusedOrFailedClaimRefusesThePublishWithoutTouchingTheLocalStream() throws Exception {
    StreamKey key = new StreamKey("live", "gate");
    for (Future<Boolean> answer : List.of(Future.succeededFuture(false), Future.<Boolean>failedFuture("map down"))) {
      RecordingGate gate = new RecordingGate(answer);
      StreamRegistry registry = registry(PublishPolicy.TAKEOVER, gate);

      assertThat(publish(registry, key, new TestPublisher("p"))).isNull();
      assertThat(registry.isLive(key)).isFalse();
      assertThat(registry.size()).isZero();
      assertThat(gate.events).containsExactly("claim live/gate p", "release live/gate");
    }
  }

  @Test
  void theKeyIsReleasedWhenTheLastPublisherLeavesNotWhenOneIsTakenOverHere() throws Exception {
    StreamKey key = new StreamKey("live", "release");
    RecordingGate gate = new RecordingGate(Future.succeededFuture(true));
    StreamRegistry registry = registry(PublishPolicy.TAKEOVER, gate);

    TestPublisher first = new TestPublisher("p1");
    publish(registry, key, first);
    PublishSession second = publish(registry, key, new TestPublisher("p2"));
    assertThat(first.kicks).hasSize(1);
    assertThat(gate.events).containsExactly("claim live/release p1", "claim live/release p2");

    run(context, second::close);
    awaitEvents(gate, 3);
    assertThat(gate.events).endsWith("release live/release");
  }

  @Test
  void aClaimInFlightKeepsTheKeyFromBeingReleasedByTheLeavingPublisher() throws Exception {
    StreamKey key = new StreamKey("live", "inflight");
    RecordingGate gate = new RecordingGate(Future.succeededFuture(true));
    StreamRegistry registry = registry(PublishPolicy.TAKEOVER, gate);
    PublishSession first = publish(registry, key, new TestPublisher("p1"));

    Promise<Boolean> pending = Promise.promise();
    gate.answer = pending.future();
    Promise<PublishSession> second = Promise.promise();
    run(context, () -> registry.publish(key, new TestPublisher("p2")).onComplete(second));
    run(context, first::close);
    assertThat(gate.events).doesNotContain("release live/inflight");

    run(context, () -> pending.complete(true));
    assertThat(await(second.future())).isNotNull();
    assertThat(registry.isLive(key)).isTrue();
    assertThat(gate.events).doesNotContain("release live/inflight");
  }

  @Test
  void kickPublisherDisconnectsOnlyAPublisherOfThatKey() throws Exception {
    StreamRegistry registry = registry(PublishPolicy.REJECT, new RecordingGate(Future.succeededFuture(true)));
    TestPublisher publisher = new TestPublisher("p");
    publish(registry, new StreamKey("live", "kicked"), publisher);

    registry.kickPublisher(new StreamKey("live", "other"), "no such stream");
    registry.kickPublisher(new StreamKey("live", "kicked"), "taken over by a publisher on node n2");
    run(context, () -> { });
    assertThat(publisher.kicks).containsExactly("taken over by a publisher on node n2");
  }

  private static void awaitEvents(RecordingGate gate, int count) throws Exception {
    Await.until(count + " gate events", Duration.ofSeconds(5), () -> gate.events.size() >= count);
  }

  private static PublishSession publish(StreamRegistry registry, StreamKey key, TestPublisher publisher)
      throws Exception {
    return await(context, () -> registry.publish(key, publisher));
  }

  private static StreamRegistry registry(PublishPolicy policy, PublishGate gate) {
    return new StreamRegistry(StreamHarness.atOnce(policy), 1 << 20, 1000, new WireFormats(), gate);
  }

  private static final class RecordingGate implements PublishGate {
    final List<String> events = new CopyOnWriteArrayList<>();
    volatile Future<Boolean> answer;

    RecordingGate(Future<Boolean> answer) {
      this.answer = answer;
    }

    @Override
    public Future<Boolean> claim(StreamKey key, String publisher) {
      events.add("claim " + key + " " + publisher);
      return answer;
    }

    @Override
    public void release(StreamKey key) {
      events.add("release " + key);
    }
  }
}
