package dev.streamedge.stream;

import static dev.streamedge.stream.StreamHarness.await;
import static dev.streamedge.stream.StreamHarness.newContext;
import static dev.streamedge.stream.StreamHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.WireFormats;
import dev.streamedge.stream.StreamHarness.Published;
import dev.streamedge.stream.StreamHarness.RecordingSubscriber;
import dev.streamedge.stream.StreamHarness.TestPublisher;
import dev.streamedge.stream.StreamHarness.Unpublished;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A stream fed from another node (a relay, as an edge node publishes what it pulls): it claims nothing,
 * gives way to a publisher of this node whatever the publish policy, and the {@link Upstream} hears
 * when local subscribers come and go.
 */
@Tag("unit")
class RelayTest {

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
  void aRelayNeitherClaimsNorReleasesTheKeyAndItsPlayersSeeAnOrdinaryPublisher() throws Exception {
    StreamKey key = new StreamKey("live", "relayed");
    Recorder recorder = new Recorder();
    StreamRegistry registry = registry(PublishPolicy.REJECT, recorder);
    RecordingSubscriber player = new RecordingSubscriber(context);
    run(context, () -> registry.subscribe(key, player));
    player.awaitEvents("attached", events -> !events.isEmpty());

    PublishSession relay = await(context, () -> registry.relay(key, new TestPublisher("node n1")));
    assertThat(relay).isNotNull();
    assertThat(registry.isLive(key)).isTrue();
    run(context, () -> relay.media(MediaKind.VIDEO, 0, StreamHarness.keyframe(1)));
    player.awaitSeq(1);
    run(context, relay::close);
    player.awaitEvents("unpublished", events -> events.stream().anyMatch(e -> e instanceof Unpublished));

    assertThat(player.events()).anyMatch(e -> e instanceof Published);
    assertThat(recorder.events).doesNotContain("claim live/relayed node n1", "release live/relayed")
        .contains("wanted live/relayed");
  }

  @Test
  void aPublisherOfThisNodeReplacesARelayEvenUnderRejectAndARelayNeverReplacesIt() throws Exception {
    StreamKey key = new StreamKey("live", "takeover");
    Recorder recorder = new Recorder();
    StreamRegistry registry = registry(PublishPolicy.REJECT, recorder);
    TestPublisher relayPublisher = new TestPublisher("node n1");
    await(context, () -> registry.relay(key, relayPublisher));

    TestPublisher local = new TestPublisher("encoder");
    PublishSession session = await(context, () -> registry.publish(key, local));
    assertThat(session).as("the local publish under reject").isNotNull();
    assertThat(relayPublisher.kicks).containsExactly("this node publishes the stream now, from encoder");
    assertThat(await(context, () -> registry.relay(key, new TestPublisher("node n2"))))
        .as("a relay while this node publishes").isNull();
    assertThat(local.kicks).isEmpty();

    run(context, session::close);
    assertThat(recorder.events).containsSubsequence("claim live/takeover encoder", "release live/takeover");
  }

  @Test
  void theUpstreamHearsOfTheFirstSubscriberAndOfTheLast() throws Exception {
    StreamKey key = new StreamKey("live", "demand");
    Recorder recorder = new Recorder();
    StreamRegistry registry = registry(PublishPolicy.TAKEOVER, recorder);
    RecordingSubscriber first = new RecordingSubscriber(context);
    RecordingSubscriber second = new RecordingSubscriber(context);
    Subscription[] subscriptions = new Subscription[2];
    run(context, () -> subscriptions[0] = registry.subscribe(key, first));
    run(context, () -> subscriptions[1] = registry.subscribe(key, second));
    second.awaitEvents("attached", events -> !events.isEmpty());
    assertThat(recorder.events).containsExactly("wanted live/demand");

    run(context, subscriptions[0]::cancel);
    run(context, () -> { });
    assertThat(recorder.events).containsExactly("wanted live/demand");
    run(context, subscriptions[1]::cancel);
    run(context, () -> { });
    assertThat(recorder.events).containsExactly("wanted live/demand", "unwanted live/demand");
    assertThat(registry.size()).isZero();
  }

  @Test
  void aStreamLiveOnAnotherNodeIsAvailableHereButNotLive() throws Exception {
    Recorder recorder = new Recorder();
    StreamRegistry registry = registry(PublishPolicy.TAKEOVER, recorder);
    recorder.elsewhere.add(new StreamKey("live", "remote"));

    assertThat(registry.isAvailable(new StreamKey("live", "remote"))).isTrue();
    assertThat(registry.isPublishedElsewhere(new StreamKey("live", "remote"))).isTrue();
    assertThat(registry.isLive(new StreamKey("live", "remote"))).isFalse();
    assertThat(registry.isAvailable(new StreamKey("live", "nowhere"))).isFalse();
  }

  private static StreamRegistry registry(PublishPolicy policy, Recorder recorder) {
    StreamRegistry registry = new StreamRegistry(StreamHarness.atOnce(policy), 1 << 20, 1000, new WireFormats(),
        recorder);
    registry.upstream(recorder);
    return registry;
  }

  /** The gate and the upstream of a node, recording what the stream core tells them. */
  private static final class Recorder implements PublishGate, Upstream {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<StreamKey> elsewhere = new CopyOnWriteArrayList<>();

    @Override
    public Future<Boolean> claim(StreamKey key, String publisher) {
      events.add("claim " + key + " " + publisher);
      return Future.succeededFuture(true);
    }

    @Override
    public void release(StreamKey key) {
      events.add("release " + key);
    }

    @Override
    public boolean publishedElsewhere(StreamKey key) {
      return elsewhere.contains(key);
    }

    @Override
    public void wanted(StreamKey key) {
      events.add("wanted " + key);
    }

    @Override
    public void unwanted(StreamKey key) {
      events.add("unwanted " + key);
    }
  }
}
