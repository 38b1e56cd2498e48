package dev.streamedge.stream;

import static dev.streamedge.stream.StreamHarness.audioConfig;
import static dev.streamedge.stream.StreamHarness.await;
import static dev.streamedge.stream.StreamHarness.call;
import static dev.streamedge.stream.StreamHarness.interframe;
import static dev.streamedge.stream.StreamHarness.keyframe;
import static dev.streamedge.stream.StreamHarness.newContext;
import static dev.streamedge.stream.StreamHarness.run;
import static dev.streamedge.stream.StreamHarness.seq;
import static dev.streamedge.stream.StreamHarness.videoConfig;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.media.WireFormats;
import dev.streamedge.stream.StreamHarness.Attached;
import dev.streamedge.stream.StreamHarness.RecordingSubscriber;
import dev.streamedge.stream.StreamHarness.TestPublisher;
import dev.streamedge.testing.Await;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A player that joins on an event loop where players of the stream already are starts from their
 * group's copy of the stream's start packets, without a hop to the stream's home loop and back: under
 * load each hop waits behind the other loop's work, which was most of a joining player's wait.
 */
@Tag("unit")
class JoinOnOwnLoopTest {

  private static Vertx vertx;
  private static Context home;
  private static Context playersLoop;
  private static Context otherPublisher;
  /** Another verticle's context on the home loop, as an HTTP-FLV player beside an RTMP publisher. */
  private static Context besideHome;

  @BeforeAll
  static void startVertx() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(3));
    home = newContext(vertx);
    playersLoop = newContext(vertx);
    otherPublisher = newContext(vertx);
    besideHome = newContext(vertx);
    assertThat(call(playersLoop, Thread::currentThread)).isNotSameAs(call(home, Thread::currentThread));
    assertThat(call(besideHome, Thread::currentThread)).isSameAs(call(home, Thread::currentThread));
  }

  @AfterAll
  static void stopVertx() throws Exception {
    await(vertx.close());
  }

  private static StreamRegistry registry() {
    return new StreamRegistry(StreamHarness.atOnce(PublishPolicy.TAKEOVER), 1 << 20, 1000, new WireFormats(),
        PublishGate.LOCAL);
  }

  private static List<Integer> seqs(List<MediaPacket> packets) {
    return packets.stream().map(StreamHarness::seq).toList();
  }

  private static Subscription subscribe(StreamRegistry registry, StreamKey key, RecordingSubscriber subscriber)
      throws Exception {
    return call(subscriber.context(), () -> registry.subscribe(key, subscriber));
  }

  @Test
  void aPlayerBesideAnotherStartsWhileTheStreamsHomeLoopIsBusy() throws Exception {
    StreamRegistry registry = registry();
    StreamKey key = new StreamKey("live", "busy-home");
    PublishSession session = await(home, () -> registry.publish(key, new TestPublisher("publisher")));
    run(home, () -> {
      session.media(MediaKind.VIDEO, 0, videoConfig(1));
      session.media(MediaKind.AUDIO, 0, audioConfig(2));
      session.media(MediaKind.VIDEO, 0, keyframe(3));
      session.media(MediaKind.VIDEO, 40, interframe(4));
    });
    RecordingSubscriber first = new RecordingSubscriber(playersLoop);
    subscribe(registry, key, first);
    first.awaitSeq(4);

    // The home loop is held up as if fanning a keyframe out to thousands of players.
    CountDownLatch homeHeld = new CountDownLatch(1);
    CountDownLatch releaseHome = new CountDownLatch(1);
    home.runOnContext(v -> {
      homeHeld.countDown();
      try {
        releaseHome.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThat(homeHeld.await(5, TimeUnit.SECONDS)).isTrue();
    RecordingSubscriber second = new RecordingSubscriber(playersLoop);
    try {
      subscribe(registry, key, second);
      second.awaitEvents("start packets while home is busy", events -> !events.isEmpty());
    } finally {
      releaseHome.countDown();
    }
    Attached attached = (Attached) second.events().get(0);
    assertThat(attached.live()).isTrue();
    assertThat(seqs(attached.start())).as("configs, then the GOP so far").containsExactly(1, 2, 3, 4);

    run(home, () -> session.media(MediaKind.VIDEO, 80, interframe(5)));
    second.awaitSeq(5);
    assertThat(seqs(second.packets())).containsExactly(1, 2, 3, 4, 5);
    Await.until("both counted", Duration.ofSeconds(5),
        () -> await(registry.info(key)).map(info -> info.subscribers() == 2).orElse(false));
    second.assertAllOnOwnContext();
  }

  @Test
  void aPlayerJoiningAfterATakeoverGetsNothingOfTheOldPublisher() throws Exception {
    StreamRegistry registry = registry();
    StreamKey key = new StreamKey("live", "takeover");
    publishConfigAndKeyframe(registry, key, "old");
    RecordingSubscriber first = new RecordingSubscriber(playersLoop);
    subscribe(registry, key, first);
    first.awaitSeq(2);

    PublishSession taker = await(otherPublisher, () -> registry.publish(key, new TestPublisher("new")));
    RecordingSubscriber late = new RecordingSubscriber(playersLoop);
    subscribe(registry, key, late);
    late.awaitEvents("attached", events -> !events.isEmpty());
    assertThat(((Attached) late.events().get(0)).start()).as("nothing of the old session").isEmpty();

    run(otherPublisher, () -> {
      taker.media(MediaKind.VIDEO, 0, videoConfig(10));
      taker.media(MediaKind.VIDEO, 0, keyframe(11));
    });
    late.awaitSeq(11);
    assertThat(seqs(late.packets())).containsExactly(10, 11);
    RecordingSubscriber later = new RecordingSubscriber(playersLoop);
    subscribe(registry, key, later);
    later.awaitSeq(11);
    assertThat(seqs(later.packets())).as("the new session's configs and GOP").containsExactly(10, 11);
  }

  @Test
  void aPlayerJoiningJustAfterTheLastOneOfItsLoopLeftStillGetsTheStream() throws Exception {
    StreamRegistry registry = registry();
    StreamKey key = new StreamKey("live", "left-and-joined");
    PublishSession session = publishConfigAndKeyframe(registry, key, "publisher");
    RecordingSubscriber leaving = new RecordingSubscriber(playersLoop);
    Subscription leavingSubscription = subscribe(registry, key, leaving);
    leaving.awaitSeq(2);

    RecordingSubscriber joining = new RecordingSubscriber(playersLoop);
    run(playersLoop, () -> {
      // The loop's group is empty now and home is about to drop it: the newcomer must not join it.
      leavingSubscription.cancel();
      registry.subscribe(key, joining);
    });
    joining.awaitSeq(2);
    run(home, () -> session.media(MediaKind.VIDEO, 40, interframe(3)));
    joining.awaitSeq(3);
    assertThat(seqs(joining.packets())).containsExactly(1, 2, 3);
    assertThat(await(registry.info(key)).orElseThrow().subscribers()).isEqualTo(1);
  }

  /**
   * Players come and go on two loops, and in two contexts of the home loop, while the stream is
   * published: every player gets the configs, then media from a keyframe on with no gap and no
   * duplicate, whether it joined at once or through home, and the stream counts exactly the players
   * still there.
   */
  @Test
  void playersComingAndGoingOnTheirLoopsEachGetTheStreamWithoutGapOrDuplicate() throws Exception {
    StreamRegistry registry = registry();
    Random random = new Random(11);
    for (int round = 0; round < 40; round++) {
      StreamKey key = new StreamKey("live", "churn" + round);
      PublishSession session = await(home, () -> registry.publish(key, new TestPublisher("publisher")));
      int last = 300;
      List<RecordingSubscriber> kept = new ArrayList<>();
      for (int seq = 1; seq <= last; seq++) {
        int s = seq;
        home.runOnContext(v -> send(session, s));
        if (random.nextInt(10) == 0) {
          Context loop = List.of(playersLoop, home, besideHome).get(random.nextInt(3));
          RecordingSubscriber subscriber = new RecordingSubscriber(loop);
          boolean stays = random.nextInt(3) > 0;
          int hops = random.nextInt(4);
          loop.runOnContext(v -> {
            Subscription subscription = registry.subscribe(key, subscriber);
            if (!stays) {
              cancelAfter(loop, subscription, hops);
            }
          });
          if (stays) {
            kept.add(subscriber);
          }
        }
      }
      for (RecordingSubscriber subscriber : kept) {
        subscriber.awaitSeq(last);
        assertCleanFromAKeyframe(subscriber, last);
      }
      int players = kept.size();
      Await.until("the players still there counted", Duration.ofSeconds(5),
          () -> await(registry.info(key)).map(info -> info.subscribers() == players).orElse(false));
      run(home, session::close);
    }
  }

  /** Publishes {@code key} from the home loop with a video config (seq 1) and a keyframe (seq 2). */
  private static PublishSession publishConfigAndKeyframe(StreamRegistry registry, StreamKey key, String publisher)
      throws Exception {
    PublishSession session = await(home, () -> registry.publish(key, new TestPublisher(publisher)));
    run(home, () -> {
      session.media(MediaKind.VIDEO, 0, videoConfig(1));
      session.media(MediaKind.VIDEO, 0, keyframe(2));
    });
    return session;
  }

  private static void send(PublishSession session, int seq) {
    long timestamp = seq * 10L;
    if (seq == 1) {
      session.media(MediaKind.VIDEO, timestamp, videoConfig(seq));
    } else if (seq % 25 == 2) {
      session.media(MediaKind.VIDEO, timestamp, keyframe(seq));
    } else {
      session.media(MediaKind.VIDEO, timestamp, interframe(seq));
    }
  }

  private static void cancelAfter(Context loop, Subscription subscription, int hops) {
    if (hops == 0) {
      subscription.cancel();
    } else {
      loop.runOnContext(v -> cancelAfter(loop, subscription, hops - 1));
    }
  }

  private static void assertCleanFromAKeyframe(RecordingSubscriber subscriber, int last) {
    List<MediaPacket> packets = subscriber.packets();
    assertThat(seq(packets.get(0))).as("the video config first").isEqualTo(1);
    List<Integer> media = seqs(packets.subList(1, packets.size()));
    int first = media.get(0);
    assertThat(first % 25).as("first media packet %s is a keyframe", first).isEqualTo(2);
    List<Integer> expected = new ArrayList<>();
    for (int seq = first; seq <= last; seq++) {
      expected.add(seq);
    }
    assertThat(media).as("no gap, no duplicate").containsExactlyElementsOf(expected);
    subscriber.assertAllOnOwnContext();
  }
}
