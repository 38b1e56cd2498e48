package dev.streamedge.stream;

import static dev.streamedge.stream.StreamHarness.await;
import static dev.streamedge.stream.StreamHarness.keyframe;
import static dev.streamedge.stream.StreamHarness.newContext;
import static dev.streamedge.stream.StreamHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.WireFormats;
import dev.streamedge.stream.StreamHarness.TestPublisher;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The takeover policy's rules: a stranger takes over only a publisher that has been quiet for
 * {@code stream.takeover-after}; the same credential takes over at once; a key changes hands at most
 * {@code stream.max-takeovers-per-minute} times a minute.
 */
@Tag("unit")
class TakeoverRuleTest {

  private static final Duration QUIET = Duration.ofMillis(300);

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

  private static StreamRegistry registry(int perMinute) {
    return new StreamRegistry(new PublishRules(PublishPolicy.TAKEOVER, QUIET, perMinute), 1 << 20, 1000,
        new WireFormats(), PublishGate.LOCAL);
  }

  private static PublishResult claim(StreamRegistry registry, StreamKey key, TestPublisher publisher,
      String credential) throws Exception {
    return await(context, () -> registry.claim(key, publisher, credential));
  }

  @Test
  void aStrangerIsRefusedWhileThePublisherSendsAndTakesOverOnceItWasQuietLongEnough() throws Exception {
    StreamRegistry registry = registry(100);
    StreamKey key = new StreamKey("live", "quiet");
    TestPublisher first = new TestPublisher("first");
    PublishSession session = claim(registry, key, first, "").session();

    // Sending all along, and just started: a stranger is refused both times.
    assertThat(claim(registry, key, new TestPublisher("early"), "").refusal())
        .isEqualTo(PublishRefusal.PUBLISHER_ACTIVE);
    for (int i = 0; i < 4; i++) {
      Thread.sleep(QUIET.toMillis() / 3);
      int seq = i;
      run(context, () -> session.media(MediaKind.VIDEO, seq * 100L, keyframe(seq)));
    }
    assertThat(claim(registry, key, new TestPublisher("racer"), "").refusal())
        .isEqualTo(PublishRefusal.PUBLISHER_ACTIVE);
    assertThat(first.kicks).isEmpty();

    // Quiet for longer than the takeover time: the reconnecting encoder takes over.
    Thread.sleep(QUIET.toMillis() + 100);
    TestPublisher reconnected = new TestPublisher("reconnected");
    assertThat(claim(registry, key, reconnected, "").session()).isNotNull();
    assertThat(first.kicks).singleElement().asString().contains("taken over").contains("reconnected");
    assertThat(await(registry.info(key))).get().extracting(StreamInfo::publisher).isEqualTo("reconnected");
  }

  @Test
  void theSameCredentialTakesOverAtOnceAndNoCredentialIsNobodys() throws Exception {
    StreamRegistry registry = registry(100);
    StreamKey key = new StreamKey("live", "credential");
    TestPublisher first = new TestPublisher("first");
    claim(registry, key, first, "k1");

    assertThat(claim(registry, key, new TestPublisher("other key"), "k2").refusal())
        .isEqualTo(PublishRefusal.PUBLISHER_ACTIVE);
    assertThat(claim(registry, key, new TestPublisher("no key"), "").refusal())
        .isEqualTo(PublishRefusal.PUBLISHER_ACTIVE);
    TestPublisher same = new TestPublisher("same key");
    assertThat(claim(registry, key, same, "k1").session()).isNotNull();
    assertThat(first.kicks).hasSize(1);

    // Two publishers without a credential are strangers to each other.
    StreamKey open = new StreamKey("live", "open");
    claim(registry, open, new TestPublisher("a"), "");
    assertThat(claim(registry, open, new TestPublisher("b"), "").refusal()).isEqualTo(PublishRefusal.PUBLISHER_ACTIVE);
  }

  @Test
  void aKeyChangesHandsAtMostTheLimitPerMinuteEvenWithTheSameCredential() throws Exception {
    StreamRegistry registry = registry(2);
    StreamKey key = new StreamKey("live", "limit");
    claim(registry, key, new TestPublisher("p0"), "k");
    assertThat(claim(registry, key, new TestPublisher("p1"), "k").session()).isNotNull();
    assertThat(claim(registry, key, new TestPublisher("p2"), "k").session()).isNotNull();
    assertThat(claim(registry, key, new TestPublisher("p3"), "k").refusal()).isEqualTo(PublishRefusal.TAKEOVER_LIMIT);
    Thread.sleep(QUIET.toMillis() + 100);
    assertThat(claim(registry, key, new TestPublisher("p4"), "").refusal())
        .as("quiet, but the limit holds for a minute").isEqualTo(PublishRefusal.TAKEOVER_LIMIT);
    assertThat(await(registry.info(key))).get().extracting(StreamInfo::publisher).isEqualTo("p2");

    // Another key has its own count.
    StreamKey other = new StreamKey("live", "other");
    claim(registry, other, new TestPublisher("q0"), "k");
    assertThat(claim(registry, other, new TestPublisher("q1"), "k").session()).isNotNull();
  }
}
