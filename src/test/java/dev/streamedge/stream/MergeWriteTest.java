package dev.streamedge.stream;

import static dev.streamedge.stream.StreamHarness.await;
import static dev.streamedge.stream.StreamHarness.call;
import static dev.streamedge.stream.StreamHarness.keyframe;
import static dev.streamedge.stream.StreamHarness.newContext;
import static dev.streamedge.stream.StreamHarness.seq;
import static dev.streamedge.stream.StreamHarness.videoConfig;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.media.WireFormats;
import dev.streamedge.stream.StreamHarness.RecordingSubscriber;
import dev.streamedge.stream.StreamHarness.TestPublisher;
import dev.streamedge.testing.Await;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code player.merge-write}: a merging subscriber gets the packets held back and then all together,
 * each exactly once and in order, while the other subscribers of the same event loop get each packet at
 * once.
 */
@Tag("unit")
class MergeWriteTest {

  private static final long MERGE_MILLIS = 300;
  private static final StreamKey KEY = new StreamKey("live", "merged");

  private Vertx vertx;
  private Context publisherContext;
  private Context playerContext;
  private StreamRegistry registry;
  private PublishSession session;

  /** Records what it is handed: start packets, then each batch with the index it starts at. */
  private static final class MergingSubscriber implements StreamSubscriber {
    record Batch(List<Integer> seqs, int from, long atNanos) {
    }

    private final Context context;
    private final MergeWrite mergeWrite;
    private final List<Integer> start = new ArrayList<>();
    private final List<Batch> batches = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();

    MergingSubscriber(Context context) {
      this(context, MERGE_MILLIS, Long.MAX_VALUE);
    }

    MergingSubscriber(Context context, long mergeMillis, long maxBytes) {
      this.context = context;
      this.mergeWrite = new MergeWrite(mergeMillis, maxBytes);
    }

    @Override
    public Context context() {
      return context;
    }

    @Override
    public MergeWrite mergeWrite() {
      return mergeWrite;
    }

    @Override
    public synchronized void attached(List<MediaPacket> startPackets, boolean live) {
      startPackets.forEach(p -> start.add(seq(p)));
      calls.add("attached");
    }

    @Override
    public synchronized void packet(MediaPacket packet) {
      calls.add("packet " + seq(packet));
    }

    @Override
    public synchronized void packets(PacketBatch batch, int from) {
      batches.add(new Batch(batch.packets().stream().map(StreamHarness::seq).toList(), from, System.nanoTime()));
      calls.add("batch");
    }

    @Override
    public void published() {
    }

    @Override
    public synchronized void unpublished() {
      calls.add("unpublished");
    }

    synchronized List<Batch> batches() {
      return List.copyOf(batches);
    }

    synchronized List<Integer> start() {
      return List.copyOf(start);
    }

    synchronized List<String> calls() {
      return List.copyOf(calls);
    }

    /** Every packet it got, start packets first, the ones before each batch's index left out. */
    synchronized List<Integer> received() {
      List<Integer> all = new ArrayList<>(start);
      batches.forEach(b -> all.addAll(b.seqs().subList(b.from(), b.seqs().size())));
      return all;
    }
  }

  @BeforeEach
  void publish() throws Exception {
    vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(1)).build();
    publisherContext = newContext(vertx);
    playerContext = newContext(vertx);
    registry = new StreamRegistry(StreamHarness.atOnce(PublishPolicy.TAKEOVER), 1 << 20, 1000,
        new WireFormats(), PublishGate.LOCAL);
    session = await(publisherContext, () -> registry.publish(KEY, new TestPublisher("publisher")));
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  @Test
  void heldPacketsComeTogetherAfterTheDelayWhileOtherSubscribersGetThemAtOnce() throws Exception {
    MergingSubscriber merging = new MergingSubscriber(playerContext);
    RecordingSubscriber plain = new RecordingSubscriber(playerContext);
    subscribe(merging);
    subscribe(plain);

    long sent = call(publisherContext, () -> {
      session.media(MediaKind.VIDEO, 0, videoConfig(1));
      for (int i = 2; i <= 9; i++) {
        session.media(MediaKind.VIDEO, i * 40L, keyframe(i));
      }
      return System.nanoTime();
    });
    plain.awaitSeq(9);
    Await.until("the held packets", Duration.ofSeconds(5), () -> !merging.batches().isEmpty());

    MergingSubscriber.Batch batch = merging.batches().get(0);
    assertThat(merging.batches()).hasSize(1);
    assertThat(batch.seqs()).containsExactlyElementsOf(IntStream.rangeClosed(1, 9).boxed().toList());
    assertThat(batch.from()).isZero();
    assertThat(Duration.ofNanos(batch.atNanos() - sent)).as("held for the merge delay")
        .isGreaterThanOrEqualTo(Duration.ofMillis(MERGE_MILLIS - 5));
    assertThat(merging.calls()).as("no packet handed over on its own").containsExactly("attached", "batch");
  }

  @Test
  void theHeldPacketsComeBeforeTheEndOfThePublish() throws Exception {
    MergingSubscriber merging = new MergingSubscriber(playerContext);
    subscribe(merging);

    call(publisherContext, () -> {
      session.media(MediaKind.VIDEO, 0, videoConfig(1));
      session.media(MediaKind.VIDEO, 40, keyframe(2));
      session.close();
      return null;
    });
    Await.until("the end of the publish", Duration.ofSeconds(5), () -> merging.calls().contains("unpublished"));

    assertThat(merging.calls()).containsExactly("attached", "batch", "unpublished");
    assertThat(merging.received()).containsExactly(1, 2);
  }

  @Test
  void aPlayerThatJoinsWhilePacketsAreHeldGetsEachOfThemOnce() throws Exception {
    MergingSubscriber first = new MergingSubscriber(playerContext);
    subscribe(first);
    call(publisherContext, () -> {
      session.media(MediaKind.VIDEO, 0, videoConfig(1));
      session.media(MediaKind.VIDEO, 40, keyframe(2));
      return null;
    });

    // Joins while 1 and 2 are held: they come with its start packets, and only 3 with the batch.
    MergingSubscriber second = new MergingSubscriber(playerContext);
    subscribe(second);
    call(publisherContext, () -> {
      session.media(MediaKind.VIDEO, 80, keyframe(3));
      return null;
    });
    Await.until("the held packets", Duration.ofSeconds(5),
        () -> !first.batches().isEmpty() && !second.batches().isEmpty());

    assertThat(first.received()).containsExactly(1, 2, 3);
    assertThat(second.start()).containsExactly(1, 2);
    assertThat(second.received()).containsExactly(1, 2, 3);
  }

  @Test
  void heldPacketsAreHandedOverAtOnceWhenTheyReachTheByteBound() throws Exception {
    // Held for up to a minute, but never more than two 6-byte packets.
    MergingSubscriber merging = new MergingSubscriber(playerContext, 60_000, 12);
    subscribe(merging);

    call(publisherContext, () -> {
      session.media(MediaKind.VIDEO, 0, videoConfig(1));
      for (int i = 2; i <= 4; i++) {
        session.media(MediaKind.VIDEO, i * 40L, keyframe(i));
      }
      return null;
    });
    Await.until("two batches", Duration.ofSeconds(5), () -> merging.batches().size() == 2);

    assertThat(merging.batches()).extracting(MergingSubscriber.Batch::seqs)
        .containsExactly(List.of(1, 2), List.of(3, 4));
  }

  private void subscribe(StreamSubscriber subscriber) throws Exception {
    int before = await(registry.info(KEY)).map(StreamInfo::subscribers).orElse(0);
    call(subscriber.context(), () -> registry.subscribe(KEY, subscriber));
    Await.until("subscribed", Duration.ofSeconds(5),
        () -> await(registry.info(KEY)).map(i -> i.subscribers() == before + 1).orElse(false));
  }
}
