package dev.streamedge.stream;

import static dev.streamedge.stream.StreamHarness.audioConfig;
import static dev.streamedge.stream.StreamHarness.audioFrame;
import static dev.streamedge.stream.StreamHarness.await;
import static dev.streamedge.stream.StreamHarness.call;
import static dev.streamedge.stream.StreamHarness.interframe;
import static dev.streamedge.stream.StreamHarness.keyframe;
import static dev.streamedge.stream.StreamHarness.metadataBody;
import static dev.streamedge.stream.StreamHarness.newContext;
import static dev.streamedge.stream.StreamHarness.run;
import static dev.streamedge.stream.StreamHarness.seq;
import static dev.streamedge.stream.StreamHarness.videoConfig;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.media.WireFormats;
import dev.streamedge.stream.StreamHarness.Attached;
import dev.streamedge.stream.StreamHarness.Event;
import dev.streamedge.stream.StreamHarness.Packet;
import dev.streamedge.stream.StreamHarness.Published;
import dev.streamedge.stream.StreamHarness.RecordingSubscriber;
import dev.streamedge.stream.StreamHarness.TestPublisher;
import dev.streamedge.stream.StreamHarness.Unpublished;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class LiveStreamTest {

  private static Vertx vertx;
  private static Context publisherContext;
  private static Context subscriberContextA;
  private static Context subscriberContextB;
  private static Context otherContext;
  /** What the stream core threw on an event loop: nobody else would see it but the log. */
  private static final List<Throwable> UNHANDLED = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startVertx() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));
    vertx.exceptionHandler(UNHANDLED::add);
    publisherContext = newContext(vertx);
    subscriberContextA = newContext(vertx);
    subscriberContextB = newContext(vertx);
    otherContext = newContext(vertx);
    Set<Thread> threads = new HashSet<>();
    for (Context context : List.of(publisherContext, subscriberContextA, subscriberContextB, otherContext)) {
      threads.add(call(context, Thread::currentThread));
    }
    assertThat(threads).as("each context on its own event loop").hasSize(4);
  }

  @AfterEach
  void nothingWasThrownOnAnEventLoop() {
    List<Throwable> thrown = List.copyOf(UNHANDLED);
    UNHANDLED.clear();
    assertThat(thrown).as("exceptions on the event loops").isEmpty();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    await(vertx.close());
  }

  private static StreamRegistry registry(PublishPolicy policy) {
    return new StreamRegistry(StreamHarness.atOnce(policy), 64L << 20, 100_000, new WireFormats(), PublishGate.LOCAL);
  }

  private static PublishSession publish(StreamRegistry registry, StreamKey key, Context context,
      TestPublisher publisher) throws Exception {
    return await(context, () -> registry.publish(key, publisher));
  }

  private static Subscription subscribe(StreamRegistry registry, StreamKey key, RecordingSubscriber subscriber)
      throws Exception {
    return call(subscriber.context(), () -> registry.subscribe(key, subscriber));
  }

  private static Optional<StreamInfo> info(StreamRegistry registry, StreamKey key) throws Exception {
    return await(registry.info(key));
  }

  /** The test stream: metadata, video and audio config, then GOPs of 12 with audio interleaved. */
  private static final int CONFIGS = 3;

  private static void send(PublishSession session, int seq, long timestamp) {
    if (seq == 0) {
      session.metadata(metadataBody(seq));
    } else if (seq == 1) {
      session.media(MediaKind.VIDEO, timestamp, videoConfig(seq));
    } else if (seq == 2) {
      session.media(MediaKind.AUDIO, timestamp, audioConfig(seq));
    } else if (isKeyframe(seq)) {
      session.media(MediaKind.VIDEO, timestamp, keyframe(seq));
    } else if (seq % 3 == 0) {
      session.media(MediaKind.AUDIO, timestamp, audioFrame(seq));
    } else {
      session.media(MediaKind.VIDEO, timestamp, interframe(seq));
    }
  }

  private static boolean isKeyframe(int seq) {
    return seq >= CONFIGS && (seq - CONFIGS) % 12 == 0;
  }

  private static List<Integer> seqs(List<MediaPacket> packets) {
    return packets.stream().map(StreamHarness::seq).toList();
  }

  /** Sends packets from..to (inclusive) on the publisher's context, {@code chunk} per event-loop task. */
  private static CompletableFuture<Void> sendChain(Context context, PublishSession session, int from, int to,
      int chunk) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(v -> sendChunk(context, session, from, to, chunk, done));
    return done;
  }

  private static void sendChunk(Context context, PublishSession session, int next, int to, int chunk,
      CompletableFuture<Void> done) {
    int end = Math.min(to, next + chunk - 1);
    for (int seq = next; seq <= end; seq++) {
      send(session, seq, seq * 10L);
    }
    if (end == to) {
      done.complete(null);
    } else {
      context.runOnContext(v -> sendChunk(context, session, end + 1, to, chunk, done));
    }
  }

  /** Subscribes on the subscriber's context after {@code hops} event-loop turns. */
  private static CompletableFuture<Subscription> subscribeLater(StreamRegistry registry, StreamKey key,
      RecordingSubscriber subscriber, int hops) {
    CompletableFuture<Subscription> result = new CompletableFuture<>();
    subscriber.context().runOnContext(v -> hop(registry, key, subscriber, hops, result));
    return result;
  }

  private static void hop(StreamRegistry registry, StreamKey key, RecordingSubscriber subscriber, int hops,
      CompletableFuture<Subscription> result) {
    if (hops == 0) {
      result.complete(registry.subscribe(key, subscriber));
    } else {
      subscriber.context().runOnContext(v -> hop(registry, key, subscriber, hops - 1, result));
    }
  }

  /**
   * What a subscriber of the test stream must have seen: the three configs in order, then the media
   * from a keyframe (the last one cached when it joined) to {@code last}, with no gap and no duplicate.
   */
  private static void assertJoinedCleanly(RecordingSubscriber subscriber, int last) {
    List<Event> events = subscriber.events();
    assertThat(events.get(0)).isInstanceOf(Attached.class);
    Attached attached = (Attached) events.get(0);
    assertThat(attached.live()).isTrue();
    assertThat(events.subList(1, events.size())).allMatch(e -> e instanceof Packet);

    List<MediaPacket> start = attached.start();
    List<MediaPacket> startMedia = start.stream().filter(p -> !p.isConfig()).toList();
    if (!startMedia.isEmpty()) {
      assertThat(startMedia.get(0).isSync()).as("GOP starts at a keyframe").isTrue();
      assertThat(startMedia.subList(1, startMedia.size())).as("GOP from the last keyframe only")
          .noneMatch(MediaPacket::isSync);
      assertThat(start.subList(0, start.size() - startMedia.size())).as("configs before the GOP")
          .allMatch(MediaPacket::isConfig);
    }

    List<Integer> delivered = seqs(subscriber.packets());
    assertThat(delivered.subList(0, CONFIGS)).as("metadata, video and audio config").containsExactly(0, 1, 2);
    List<Integer> media = delivered.subList(CONFIGS, delivered.size());
    int first = media.get(0);
    assertThat(isKeyframe(first)).as("first media packet %s is a keyframe", first).isTrue();
    if (startMedia.isEmpty()) {
      assertThat(first).as("joined before any media").isEqualTo(CONFIGS);
    }
    List<Integer> expected = new ArrayList<>();
    for (int seq = first; seq <= last; seq++) {
      expected.add(seq);
    }
    assertThat(media).as("no gap, no duplicate").containsExactlyElementsOf(expected);
    for (MediaPacket packet : subscriber.packets()) {
      assertThat(packet.timestamp()).isEqualTo(seq(packet) * 10L);
    }
    subscriber.assertAllOnOwnContext();
  }

  @Test
  void subscribersJoiningMidGopGetConfigsAndTheGopThenLivePacketsWithoutGapOrDuplicate() throws Exception {
    StreamRegistry registry = registry(PublishPolicy.TAKEOVER);
    Random random = new Random(7);
    int last = 240;
    int midGopJoins = 0;
    int joinsBeforeMedia = 0;
    for (int round = 0; round < 150; round++) {
      StreamKey key = new StreamKey("live", "race" + round);
      TestPublisher publisher = new TestPublisher("pub" + round);
      PublishSession session = publish(registry, key, publisherContext, publisher);

      RecordingSubscriber onA = new RecordingSubscriber(subscriberContextA);
      RecordingSubscriber onB = new RecordingSubscriber(subscriberContextB);
      RecordingSubscriber alsoOnA = new RecordingSubscriber(subscriberContextA);
      RecordingSubscriber onHome = new RecordingSubscriber(publisherContext);
      CompletableFuture<Void> sent = sendChain(publisherContext, session, 0, last, 1 + random.nextInt(4));
      List<CompletableFuture<Subscription>> subscriptions = List.of(
          subscribeLater(registry, key, onA, random.nextInt(60)),
          subscribeLater(registry, key, onB, random.nextInt(60)),
          subscribeLater(registry, key, alsoOnA, random.nextInt(60)),
          subscribeLater(registry, key, onHome, random.nextInt(60)));
      sent.get(10, TimeUnit.SECONDS);

      for (RecordingSubscriber subscriber : List.of(onA, onB, alsoOnA, onHome)) {
        subscriber.awaitSeq(last);
        assertJoinedCleanly(subscriber, last);
        Attached attached = (Attached) subscriber.events().get(0);
        boolean gotGop = attached.start().stream().anyMatch(p -> !p.isConfig());
        boolean gotLive = subscriber.events().size() > 1;
        if (gotGop && gotLive && !isKeyframe(seq(attached.start().get(attached.start().size() - 1)))) {
          midGopJoins++;
        }
        if (!gotGop) {
          joinsBeforeMedia++;
        }
      }
      assertThat(info(registry, key)).get().extracting(StreamInfo::subscribers).isEqualTo(4);

      List<RecordingSubscriber> subscribers = List.of(onA, onB, alsoOnA, onHome);
      for (int i = 0; i < subscribers.size(); i++) {
        Subscription subscription = subscriptions.get(i).get(10, TimeUnit.SECONDS);
        run(subscribers.get(i).context(), subscription::cancel);
      }
      run(publisherContext, session::close);
      assertThat(info(registry, key)).isEmpty();
    }
    assertThat(registry.size()).isZero();
    // The rounds really exercised joins in the middle of a GOP with live packets following.
    assertThat(midGopJoins).isPositive();
    System.out.printf("race rounds: %d mid-GOP joins with live packets after, %d joins before any media%n",
        midGopJoins, joinsBeforeMedia);
  }

  @Test
  void subscriberOfAnIdleStreamIsAttachedNotLiveThenToldPublishedAndUnpublishedOnItsContext()
      throws Exception {
    StreamRegistry registry = registry(PublishPolicy.TAKEOVER);
    StreamKey key = new StreamKey("live", "idle");
    RecordingSubscriber subscriber = new RecordingSubscriber(subscriberContextA);
    subscribe(registry, key, subscriber);
    subscriber.awaitEvents("attached", events -> !events.isEmpty());
    assertThat(subscriber.events()).containsExactly(new Attached(List.of(), false));

    PublishSession session = publish(registry, key, publisherContext, new TestPublisher("p"));
    run(publisherContext, () -> send(session, 0, 0));
    subscriber.awaitSeq(0);
    run(publisherContext, session::close);
    subscriber.awaitEvents("unpublished", events -> events.get(events.size() - 1) instanceof Unpublished);

    List<Event> events = subscriber.events();
    assertThat(events).hasSize(4);
    assertThat(events.get(1)).isEqualTo(new Published());
    assertThat(events.get(2)).isInstanceOf(Packet.class);
    assertThat(events.get(3)).isEqualTo(new Unpublished());
    subscriber.assertAllOnOwnContext();
    // The subscriber keeps the stream alive while nobody publishes.
    assertThat(info(registry, key)).get().satisfies(i -> {
      assertThat(i.publisher()).isNull();
      assertThat(i.subscribers()).isEqualTo(1);
    });
  }

  @Test
  void republishAfterUnpublishNotifiesAndContinuesTimestampsForward() throws Exception {
    StreamRegistry registry = registry(PublishPolicy.TAKEOVER);
    StreamKey key = new StreamKey("live", "republish");
    RecordingSubscriber subscriber = new RecordingSubscriber(subscriberContextB);
    subscribe(registry, key, subscriber);

    long[][] sessions = {{0, 5000}, {0, 3000}, {7_000_000, 7_001_000}, {100, 200}};
    int seqBase = 0;
    List<Integer> lastSeqs = new ArrayList<>();
    for (long[] range : sessions) {
      PublishSession session = publish(registry, key, publisherContext, new TestPublisher("p"));
      int base = seqBase;
      int count = (int) ((range[1] - range[0]) / 100) + 1;
      run(publisherContext, () -> {
        session.media(MediaKind.VIDEO, range[0], videoConfig(base));
        for (int i = 1; i < count; i++) {
          ByteBuf body = i % 10 == 1 ? keyframe(base + i) : interframe(base + i);
          session.media(MediaKind.VIDEO, range[0] + i * 100L, body);
        }
      });
      subscriber.awaitSeq(base + count - 1);
      run(publisherContext, session::close);
      lastSeqs.add(base + count - 1);
      seqBase += count;
    }
    subscriber.awaitEvents("4 unpublished", events -> events.stream().filter(e -> e instanceof Unpublished)
        .count() == 4);

    List<Event> events = subscriber.events();
    assertThat(events.stream().filter(e -> e instanceof Published).count()).isEqualTo(4);
    long previous = -1;
    for (MediaPacket packet : subscriber.packets()) {
      assertThat(packet.timestamp()).as("packet %s", seq(packet)).isGreaterThan(previous);
      previous = packet.timestamp();
    }
    // The first packet of each new session comes just after the last of the previous one.
    List<MediaPacket> packets = subscriber.packets();
    for (int i = 0; i < lastSeqs.size() - 1; i++) {
      int lastSeq = lastSeqs.get(i);
      MediaPacket end = packets.stream().filter(p -> seq(p) == lastSeq).findFirst().orElseThrow();
      MediaPacket next = packets.stream().filter(p -> seq(p) == lastSeq + 1).findFirst().orElseThrow();
      assertThat(next.timestamp()).isEqualTo(end.timestamp() + 1);
    }
    subscriber.assertAllOnOwnContext();
  }

  @Test
  void timestampsOfEachKindNeverGoBackWhenASessionEndsOnAnOlderAudioPacket() throws Exception {
    StreamRegistry registry = registry(PublishPolicy.TAKEOVER);
    StreamKey key = new StreamKey("live", "interleaved");
    RecordingSubscriber subscriber = new RecordingSubscriber(subscriberContextA);
    subscribe(registry, key, subscriber);

    PublishSession first = publish(registry, key, publisherContext, new TestPublisher("p1"));
    run(publisherContext, () -> {
      first.media(MediaKind.VIDEO, 1000, keyframe(1));
      first.media(MediaKind.AUDIO, 990, audioFrame(2)); // audio slightly behind video, as muxers allow
      first.close();
    });
    PublishSession second = publish(registry, key, publisherContext, new TestPublisher("p2"));
    run(publisherContext, () -> {
      second.media(MediaKind.VIDEO, 0, keyframe(3));
      second.media(MediaKind.AUDIO, 0, audioFrame(4));
    });
    subscriber.awaitSeq(4);

    for (MediaKind kind : List.of(MediaKind.VIDEO, MediaKind.AUDIO)) {
      List<Long> timestamps = subscriber.packets().stream().filter(p -> p.kind() == kind)
          .map(MediaPacket::timestamp).toList();
      assertThat(timestamps).as("%s timestamps", kind).isSorted();
    }
  }

  @Test
  void timelineContinuesAfterThe32BitTimestampWrap() throws Exception {
    StreamRegistry registry = registry(PublishPolicy.TAKEOVER);
    StreamKey key = new StreamKey("live", "wrap");
    RecordingSubscriber subscriber = new RecordingSubscriber(subscriberContextB);
    subscribe(registry, key, subscriber);

    PublishSession first = publish(registry, key, publisherContext, new TestPublisher("p1"));
    run(publisherContext, () -> {
      first.media(MediaKind.VIDEO, 0xFFFF_FFF0L, keyframe(1));
      first.media(MediaKind.VIDEO, 0x10, interframe(2)); // the publisher's clock wrapped
      first.close();
    });
    PublishSession second = publish(registry, key, publisherContext, new TestPublisher("p2"));
    run(publisherContext, () -> second.media(MediaKind.VIDEO, 5000, keyframe(3)));
    subscriber.awaitSeq(3);

    assertThat(subscriber.packets().stream().map(MediaPacket::timestamp).toList())
        .containsExactly(0xFFFF_FFF0L, 0x10L, 0x11L);
  }

  @Test
  void takeoverKicksTheOldPublisherAndIgnoresItsSession() throws Exception {
    StreamRegistry registry = registry(PublishPolicy.TAKEOVER);
    StreamKey key = new StreamKey("live", "takeover");
    TestPublisher oldPublisher = new TestPublisher("old:1");
    TestPublisher newPublisher = new TestPublisher("new:2");
    RecordingSubscriber subscriber = new RecordingSubscriber(subscriberContextA);
    PublishSession oldSession = publish(registry, key, publisherContext, oldPublisher);
    subscribe(registry, key, subscriber);
    run(publisherContext, () -> oldSession.media(MediaKind.VIDEO, 500, keyframe(1)));
    subscriber.awaitSeq(1);

    PublishSession newSession = publish(registry, key, otherContext, newPublisher);
    assertThat(newSession).isNotNull();
    assertThat(oldPublisher.kicks).hasSize(1);
    assertThat(oldPublisher.kicks.get(0)).contains("taken over").contains("new:2");
    assertThat(newPublisher.kicks).isEmpty();

    run(publisherContext, () -> oldSession.media(MediaKind.VIDEO, 600, interframe(99)));
    run(otherContext, () -> newSession.media(MediaKind.VIDEO, 0, keyframe(2)));
    run(publisherContext, oldSession::close); // the stale session's close must not unpublish
    run(otherContext, () -> newSession.media(MediaKind.VIDEO, 40, interframe(3)));
    subscriber.awaitSeq(3);

    assertThat(seqs(subscriber.packets())).containsExactly(1, 2, 3);
    assertThat(subscriber.events()).noneMatch(e -> e instanceof Unpublished || e instanceof Published);
    assertThat(subscriber.packets().stream().map(MediaPacket::timestamp).toList()).isSorted();
    assertThat(info(registry, key)).get().extracting(StreamInfo::publisher).isEqualTo("new:2");
    subscriber.assertAllOnOwnContext();
  }

  @Test
  void rejectPolicyReturnsNullSessionAndKeepsTheFirstPublisher() throws Exception {
    StreamRegistry registry = registry(PublishPolicy.REJECT);
    StreamKey key = new StreamKey("live", "reject");
    TestPublisher first = new TestPublisher("first");
    TestPublisher second = new TestPublisher("second");
    PublishSession session = publish(registry, key, publisherContext, first);
    assertThat(publish(registry, key, otherContext, second)).isNull();
    assertThat(first.kicks).isEmpty();

    RecordingSubscriber subscriber = new RecordingSubscriber(subscriberContextB);
    subscribe(registry, key, subscriber);
    run(publisherContext, () -> session.media(MediaKind.VIDEO, 0, keyframe(1)));
    subscriber.awaitSeq(1);
    assertThat(info(registry, key)).get().extracting(StreamInfo::publisher).isEqualTo("first");
  }

  @Test
  void streamDisappearsWhenLastSubscriberAndPublisherAreGoneAndCanBePublishedAgain() throws Exception {
    StreamRegistry registry = registry(PublishPolicy.TAKEOVER);
    StreamKey key = new StreamKey("live", "lifecycle");

    // Publisher leaves first, then the subscriber.
    PublishSession session = publish(registry, key, publisherContext, new TestPublisher("p1"));
    RecordingSubscriber subscriber = new RecordingSubscriber(subscriberContextA);
    Subscription subscription = subscribe(registry, key, subscriber);
    run(publisherContext, () -> session.media(MediaKind.VIDEO, 0, keyframe(1)));
    subscriber.awaitSeq(1);
    assertThat(info(registry, key)).get().satisfies(i -> {
      assertThat(i.publisher()).isEqualTo("p1");
      assertThat(i.subscribers()).isEqualTo(1);
      assertThat(i.gopFrames()).isEqualTo(1);
    });
    run(publisherContext, session::close);
    assertThat(info(registry, key)).get().extracting(StreamInfo::publisher).isNull();
    run(subscriberContextA, subscription::cancel);
    assertThat(info(registry, key)).isEmpty();
    assertThat(registry.size()).isZero();

    // A new publish works on a fresh stream with no stale GOP; this time the subscriber leaves first.
    PublishSession again = publish(registry, key, otherContext, new TestPublisher("p2"));
    assertThat(again).isNotNull();
    RecordingSubscriber late = new RecordingSubscriber(subscriberContextB);
    Subscription lateSubscription = subscribe(registry, key, late);
    late.awaitEvents("attached", events -> !events.isEmpty());
    assertThat(late.events().get(0)).isEqualTo(new Attached(List.of(), true));
    run(otherContext, () -> again.media(MediaKind.VIDEO, 0, keyframe(2)));
    late.awaitSeq(2);
    assertThat(info(registry, key)).get().extracting(StreamInfo::publisher).isEqualTo("p2");
    run(subscriberContextB, lateSubscription::cancel);
    assertThat(info(registry, key)).get().extracting(StreamInfo::subscribers).isEqualTo(0);
    run(otherContext, again::close);
    assertThat(info(registry, key)).isEmpty();
    assertThat(registry.size()).isZero();

    // A subscriber alone creates the stream and takes it away with it.
    Subscription alone = subscribe(registry, key, new RecordingSubscriber(subscriberContextA));
    assertThat(info(registry, key)).isPresent();
    run(subscriberContextA, alone::cancel);
    assertThat(info(registry, key)).isEmpty();
  }

  @Test
  void subscriberThatCancelsBeforeItsJoinReceivesNothingAndIsNotCounted() throws Exception {
    StreamRegistry registry = registry(PublishPolicy.TAKEOVER);
    for (int round = 0; round < 50; round++) {
      StreamKey key = new StreamKey("live", "cancel" + round);
      PublishSession session = publish(registry, key, publisherContext, new TestPublisher("p"));
      run(publisherContext, () -> {
        send(session, 0, 0);
        send(session, 1, 10);
        send(session, 2, 20);
        send(session, 3, 30);
      });
      RecordingSubscriber cancelled = new RecordingSubscriber(subscriberContextA);
      RecordingSubscriber control = new RecordingSubscriber(subscriberContextA);
      // Subscribe and cancel in one task: the join (which comes from the home context) is still to come.
      run(subscriberContextA, () -> registry.subscribe(key, cancelled).cancel());
      subscribe(registry, key, control);
      run(publisherContext, () -> send(session, 4, 40));
      control.awaitSeq(4);
      run(publisherContext, session::close);
      control.awaitEvents("unpublished", events -> events.get(events.size() - 1) instanceof Unpublished);
      PublishSession again = publish(registry, key, publisherContext, new TestPublisher("p"));
      run(publisherContext, () -> send(again, 5, 0));
      control.awaitSeq(5);

      assertThat(cancelled.events()).isEmpty();
      assertThat(info(registry, key)).get().extracting(StreamInfo::subscribers).isEqualTo(1);
    }
  }
}
