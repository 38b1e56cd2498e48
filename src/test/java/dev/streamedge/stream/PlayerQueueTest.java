package dev.streamedge.stream;

import static dev.streamedge.stream.Packets.packet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket.Role;
import dev.streamedge.media.MediaPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class PlayerQueueTest {

  private static final long HOUR = TimeUnit.HOURS.toNanos(1);

  /** An in-memory socket whose write queue is full whenever the test says so. */
  static final class TestOutput implements PlayerQueue.Output {
    boolean full;
    /** Whether a write while full fails the test: only {@link PlayerQueue#flush} may write then. */
    boolean refuseWhileFull = true;
    /** Simulates a socket that takes one packet and is then full until told otherwise. */
    boolean fullAfterEachWrite;
    final List<MediaPacket> written = new ArrayList<>();
    /** How many packets each write took: a batch written whole counts as one write. */
    final List<Integer> writes = new ArrayList<>();
    final List<String> closes = new ArrayList<>();
    long writtenBytes;
    /** Bytes the peer acknowledged; -1 while it acknowledges everything at once. */
    long acked = -1;
    /** Bytes the connection wrote that are no media (commands, framing) and are not acknowledged yet. */
    long otherUnacked;
    int unackedAsked;

    @Override
    public boolean full() {
      return full;
    }

    @Override
    public void write(MediaPacket packet) {
      assertThat(full && refuseWhileFull).as("written while full").isFalse();
      written.add(packet);
      writes.add(1);
      writtenBytes += packet.size();
      full = fullAfterEachWrite;
    }

    @Override
    public void write(PacketBatch batch) {
      assertThat(full && refuseWhileFull).as("written while full").isFalse();
      written.addAll(batch.packets());
      writes.add(batch.packets().size());
      batch.packets().forEach(p -> writtenBytes += p.size());
      full = fullAfterEachWrite;
    }

    @Override
    public long writtenBytes() {
      return writtenBytes;
    }

    @Override
    public long unackedBytes() {
      unackedAsked++;
      return acked < 0 ? 0 : writtenBytes - acked + otherUnacked;
    }

    /** The peer freezes: nothing written from now on is acknowledged, though writes go on being taken. */
    void stopAcknowledging() {
      acked = writtenBytes;
    }

    @Override
    public void close(String reason) {
      closes.add(reason);
    }
  }

  private final TestOutput out = new TestOutput();
  private long ts;

  private MediaPacket video(Role role, int size) {
    return packet(MediaKind.VIDEO, role, ts++, size);
  }

  private MediaPacket audio(Role role, int size) {
    return packet(MediaKind.AUDIO, role, ts++, size);
  }

  private MediaPacket metadata(int size) {
    return packet(MediaKind.DATA, Role.CONFIG, ts++, size);
  }

  /** Waits (on the clock, the state checkBehind reads) until {@code nanos} have passed since {@code since}. */
  private static void clockPasses(long since, long nanos) throws InterruptedException {
    while (System.nanoTime() - since <= nanos) {
      Thread.sleep(1);
    }
  }

  @Test
  void writesStraightThroughWhenOutputIsNotFull() {
    PlayerQueue queue = new PlayerQueue(out, 1000, HOUR, HOUR);
    List<MediaPacket> sent = List.of(video(Role.SYNC, 100), audio(Role.FRAME, 10), video(Role.FRAME, 50));
    sent.forEach(queue::offer);
    assertThat(out.written).containsExactlyElementsOf(sent);
    assertThat(queue.queuedBytes()).isZero();
    assertThat(queue.dropped()).isZero();
  }

  @Test
  void flushWritesWhatWaitsForAFullSocketInOrderBeforeTheEndIsTold() {
    PlayerQueue queue = new PlayerQueue(out, 1000, HOUR, HOUR);
    MediaPacket first = video(Role.SYNC, 100);
    queue.offer(first);
    out.full = true;
    List<MediaPacket> waiting = List.of(audio(Role.FRAME, 10), video(Role.FRAME, 50), audio(Role.FRAME, 10));
    waiting.forEach(queue::offer);
    assertThat(out.written).containsExactly(first);
    assertThat(queue.queuedBytes()).isEqualTo(70);

    out.refuseWhileFull = false;
    queue.flush();
    assertThat(out.written.subList(1, out.written.size())).containsExactlyElementsOf(waiting);
    assertThat(queue.queuedBytes()).isZero();
    assertThat(queue.dropped()).isZero();
  }

  @Test
  void aPlayerInStepGetsABatchInOneWrite() {
    PlayerQueue queue = new PlayerQueue(out, 1000, HOUR, HOUR);
    List<MediaPacket> batch = List.of(video(Role.SYNC, 100), audio(Role.FRAME, 10), video(Role.FRAME, 50));
    queue.offer(new PacketBatch(batch), 0);
    assertThat(out.written).containsExactlyElementsOf(batch);
    assertThat(out.writes).containsExactly(3);
  }

  @Test
  void aBatchStartsAtThePacketsAPlayerHasNotHadYet() {
    PlayerQueue queue = new PlayerQueue(out, 1000, HOUR, HOUR);
    List<MediaPacket> batch = List.of(video(Role.SYNC, 100), audio(Role.FRAME, 10), video(Role.FRAME, 50));
    queue.offer(new PacketBatch(batch), 1);
    assertThat(out.written).containsExactlyElementsOf(batch.subList(1, 3));
  }

  @Test
  void aPlayerWithPacketsQueuedGetsABatchPacketByPacketBehindThem() {
    PlayerQueue queue = new PlayerQueue(out, 1000, HOUR, HOUR);
    out.full = true;
    MediaPacket waiting = video(Role.SYNC, 100);
    queue.offer(waiting);
    List<MediaPacket> batch = List.of(video(Role.FRAME, 50), audio(Role.FRAME, 10));
    queue.offer(new PacketBatch(batch), 0);
    assertThat(out.written).isEmpty();
    out.full = false;
    queue.drain();
    assertThat(out.written).containsExactly(waiting, batch.get(0), batch.get(1));
    assertThat(out.writes).containsExactly(1, 1, 1);
  }

  @Test
  void queuesWhileFullAndDrainsInOrder() {
    PlayerQueue queue = new PlayerQueue(out, 1000, HOUR, HOUR);
    out.full = true;
    List<MediaPacket> sent = List.of(video(Role.SYNC, 100), audio(Role.FRAME, 10), video(Role.FRAME, 50));
    sent.forEach(queue::offer);
    assertThat(out.written).isEmpty();
    assertThat(queue.queuedBytes()).isEqualTo(160);

    out.full = false;
    queue.drain();
    assertThat(out.written).containsExactlyElementsOf(sent);
    assertThat(queue.queuedBytes()).isZero();
  }

  @Test
  void newPacketWaitsBehindQueuedOnesEvenWhenOutputIsWritableAgain() {
    PlayerQueue queue = new PlayerQueue(out, 1000, HOUR, HOUR);
    out.full = true;
    MediaPacket a = video(Role.SYNC, 100);
    MediaPacket b = video(Role.FRAME, 10);
    queue.offer(a);
    queue.offer(b);
    out.full = false; // no drain() call yet
    MediaPacket c = video(Role.FRAME, 10);
    queue.offer(c);
    assertThat(out.written).containsExactly(a, b, c);
  }

  @Test
  void drainStopsAsSoonAsTheOutputIsFullAgain() {
    TestOutput limited = new TestOutput();
    limited.fullAfterEachWrite = true;
    PlayerQueue queue = new PlayerQueue(limited, 1000, HOUR, HOUR);
    limited.full = true;
    MediaPacket a = video(Role.SYNC, 10);
    MediaPacket b = video(Role.FRAME, 10);
    queue.offer(a);
    queue.offer(b);
    limited.full = false;
    queue.drain();
    assertThat(limited.written).containsExactly(a);
    assertThat(queue.queuedBytes()).isEqualTo(10);
    limited.full = false;
    queue.drain();
    assertThat(limited.written).containsExactly(a, b);
    assertThat(queue.queuedBytes()).isZero();
  }

  @Test
  void neverHoldsMoreThanMaxBytesPlusOnePacketWhileStuckFull() {
    long maxBytes = 50_000;
    int maxPacket = 1500;
    PlayerQueue queue = new PlayerQueue(out, maxBytes, HOUR, HOUR);
    out.full = true;
    Random random = new Random(42);
    long offeredFrames = 0;
    for (int i = 0; i < 10_000; i++) {
      MediaPacket packet;
      if (i % 500 == 0) {
        packet = video(Role.CONFIG, 40);
      } else if (i % 60 == 0) {
        packet = video(Role.SYNC, maxPacket);
      } else if (i % 3 == 0) {
        packet = audio(Role.FRAME, 1 + random.nextInt(400));
      } else {
        packet = video(Role.FRAME, 1 + random.nextInt(maxPacket));
      }
      if (!packet.isConfig()) {
        offeredFrames++;
      }
      queue.offer(packet);
      assertThat(queue.queuedBytes()).as("after offer %d", i).isLessThanOrEqualTo(maxBytes + maxPacket);
    }
    assertThat(out.written).isEmpty();
    assertThat(out.closes).isEmpty();
    // Nothing was written, so every frame is either dropped or still queued.
    long held = queue.queuedBytes();
    out.full = false;
    queue.drain();
    long queuedFrames = out.written.stream().filter(p -> !p.isConfig()).count();
    assertThat(out.written.stream().mapToLong(MediaPacket::size).sum()).isEqualTo(held);
    assertThat(queue.dropped() + queuedFrames).isEqualTo(offeredFrames);
    assertThat(queue.dropped()).isPositive();
  }

  @Test
  void packetWaitingLongerThanMaxDelayTriggersTheSkip() throws InterruptedException {
    long maxDelay = TimeUnit.MILLISECONDS.toNanos(50);
    PlayerQueue queue = new PlayerQueue(out, Long.MAX_VALUE, maxDelay, HOUR);
    out.full = true;
    long first = System.nanoTime();
    queue.offer(video(Role.SYNC, 100));
    clockPasses(first, maxDelay);
    queue.offer(video(Role.FRAME, 100));
    assertThat(queue.queuedBytes()).isZero();
    assertThat(queue.dropped()).isEqualTo(2);
  }

  @Test
  void startPacketsOlderThanTheJoinAreNotLag() {
    PlayerQueue queue = new PlayerQueue(out, Long.MAX_VALUE, TimeUnit.SECONDS.toNanos(1), HOUR);
    out.full = true;
    long gopStart = System.nanoTime() - TimeUnit.SECONDS.toNanos(4);
    queue.offer(packet(MediaKind.VIDEO, Role.SYNC, 0, 100, gopStart));
    queue.offer(packet(MediaKind.VIDEO, Role.FRAME, 40, 100, gopStart + TimeUnit.SECONDS.toNanos(1)));
    assertThat(queue.dropped()).isZero();
    assertThat(queue.queuedBytes()).isEqualTo(200);
  }

  @Test
  void freshQueueUnderBothBoundsIsKept() {
    PlayerQueue queue = new PlayerQueue(out, 1000, TimeUnit.SECONDS.toNanos(10), HOUR);
    out.full = true;
    queue.offer(video(Role.SYNC, 500));
    queue.offer(video(Role.FRAME, 500));
    assertThat(queue.queuedBytes()).isEqualTo(1000);
    assertThat(queue.dropped()).isZero();
  }

  @Test
  void overflowDropsFramesAndKeepsTheLatestConfigOfEachKind() {
    PlayerQueue queue = new PlayerQueue(out, 1000, HOUR, HOUR);
    out.full = true;
    MediaPacket meta1 = metadata(10);
    MediaPacket videoConfig1 = video(Role.CONFIG, 20);
    MediaPacket audioConfig = audio(Role.CONFIG, 5);
    queue.offer(meta1);
    queue.offer(videoConfig1);
    queue.offer(audioConfig);
    queue.offer(video(Role.SYNC, 400));
    queue.offer(audio(Role.FRAME, 10));
    MediaPacket videoConfig2 = video(Role.CONFIG, 21);
    MediaPacket meta2 = metadata(11);
    queue.offer(videoConfig2);
    queue.offer(meta2);
    queue.offer(video(Role.FRAME, 300));
    assertThat(queue.dropped()).isZero();
    queue.offer(video(Role.FRAME, 300)); // 1077 > 1000

    assertThat(queue.dropped()).isEqualTo(4);
    assertThat(queue.queuedBytes()).isEqualTo(11 + 21 + 5);
    out.full = false;
    queue.drain();
    assertThat(out.written).containsExactly(meta2, videoConfig2, audioConfig);
  }

  @Test
  void afterOverflowOnlyConfigPassesUntilASyncPointArrivesWhileWritable() {
    PlayerQueue queue = new PlayerQueue(out, 100, HOUR, HOUR);
    out.full = true;
    queue.offer(video(Role.SYNC, 60));
    queue.offer(video(Role.FRAME, 60)); // overflow
    assertThat(queue.dropped()).isEqualTo(2);

    // Still stuck: frames and even a sync point are dropped; new configuration is kept.
    queue.offer(video(Role.FRAME, 1));
    queue.offer(audio(Role.FRAME, 1));
    queue.offer(video(Role.SYNC, 1));
    MediaPacket newConfig = audio(Role.CONFIG, 3);
    queue.offer(newConfig);
    assertThat(queue.dropped()).isEqualTo(5);

    // Writable again, but mid-GOP: audio and video are both dropped until the next sync point.
    out.full = false;
    queue.drain();
    assertThat(out.written).containsExactly(newConfig);
    queue.offer(audio(Role.FRAME, 1));
    queue.offer(video(Role.FRAME, 1));
    queue.offer(audio(Role.FRAME, 1));
    assertThat(queue.dropped()).isEqualTo(8);
    assertThat(out.written).containsExactly(newConfig);

    MediaPacket key = video(Role.SYNC, 50);
    MediaPacket audioAfter = audio(Role.FRAME, 2);
    MediaPacket videoAfter = video(Role.FRAME, 2);
    queue.offer(key);
    queue.offer(audioAfter);
    queue.offer(videoAfter);
    assertThat(out.written).containsExactly(newConfig, key, audioAfter, videoAfter);
    assertThat(queue.dropped()).isEqualTo(8);
    assertThat(queue.queuedBytes()).isZero();
  }

  @Test
  void keptConfigIsSentBeforeTheResumingSyncPoint() {
    PlayerQueue queue = new PlayerQueue(out, 100, HOUR, HOUR);
    out.full = true;
    MediaPacket videoConfig = video(Role.CONFIG, 10);
    queue.offer(videoConfig);
    queue.offer(video(Role.SYNC, 60));
    queue.offer(video(Role.FRAME, 60)); // overflow, config kept
    out.full = false; // no drain handler call before the next packet
    MediaPacket key = video(Role.SYNC, 10);
    queue.offer(key);
    assertThat(out.written).containsExactly(videoConfig, key);
  }

  @Test
  void playerBehindLongerThanMaxBehindIsClosedExactlyOnceWithAReason() throws Exception {
    long maxBehind = TimeUnit.MILLISECONDS.toNanos(20);
    PlayerQueue queue = new PlayerQueue(out, 100, HOUR, maxBehind);
    out.full = true;
    queue.offer(video(Role.SYNC, 60));
    queue.offer(video(Role.FRAME, 60)); // overflow: behind from here
    long behindFrom = System.nanoTime();
    queue.offer(video(Role.FRAME, 1));
    assertThat(out.closes).isEmpty();

    clockPasses(behindFrom, maxBehind);
    queue.offer(video(Role.FRAME, 1));
    assertThat(out.closes).hasSize(1);
    assertThat(out.closes.get(0)).contains("behind live").contains("20 ms").contains("frames dropped");

    for (int i = 0; i < 100; i++) {
      queue.offer(video(i % 10 == 0 ? Role.SYNC : Role.FRAME, 1));
      queue.offer(audio(Role.CONFIG, 1));
    }
    out.full = false;
    queue.drain();
    queue.offer(video(Role.SYNC, 1));
    assertThat(out.closes).hasSize(1);
    assertThat(out.written).isEmpty();
    assertThat(queue.queuedBytes()).isZero();
  }

  @Test
  void playerStuckWithoutSyncPointWhileWritableIsClosedToo() throws Exception {
    long maxBehind = TimeUnit.MILLISECONDS.toNanos(20);
    PlayerQueue queue = new PlayerQueue(out, 100, HOUR, maxBehind);
    out.full = true;
    queue.offer(video(Role.SYNC, 60));
    queue.offer(video(Role.FRAME, 60));
    long behindFrom = System.nanoTime();
    out.full = false;
    clockPasses(behindFrom, maxBehind);
    queue.offer(video(Role.FRAME, 1));
    assertThat(out.closes).hasSize(1);
  }

  @Test
  void playerThatCatchesUpIsNotClosed() throws Exception {
    long maxBehind = TimeUnit.MILLISECONDS.toNanos(20);
    PlayerQueue queue = new PlayerQueue(out, 100, HOUR, maxBehind);
    out.full = true;
    queue.offer(video(Role.SYNC, 60));
    queue.offer(video(Role.FRAME, 60)); // overflow
    out.full = false;
    queue.offer(video(Role.SYNC, 10)); // resumes and empties the queue: caught up
    long caughtUp = System.nanoTime();

    clockPasses(caughtUp, maxBehind);
    queue.offer(video(Role.FRAME, 10));
    // Briefly slow again but within bounds: queued, not behind.
    out.full = true;
    queue.offer(video(Role.FRAME, 10));
    clockPasses(System.nanoTime(), maxBehind);
    queue.offer(audio(Role.FRAME, 10));
    out.full = false;
    queue.drain();
    queue.offer(video(Role.FRAME, 10));

    assertThat(out.closes).isEmpty();
    assertThat(out.written).hasSize(5);
    assertThat(queue.dropped()).isEqualTo(2);
  }

  private static final long FRAME_NANOS = TimeUnit.MILLISECONDS.toNanos(40);

  /**
   * Offers a frame every 40 ms of packet time from {@code from} for {@code nanos}, while the queue stays
   * open; returns the packet time of the last one offered.
   */
  private long playFor(PlayerQueue queue, long from, long nanos) {
    long at = from;
    for (; at < from + nanos && out.closes.isEmpty(); at += FRAME_NANOS) {
      queue.offer(packet(MediaKind.VIDEO, Role.FRAME, ts++, 1000, at));
    }
    return at - FRAME_NANOS;
  }

  @Test
  void peerThatStopsAcknowledgingIsClosedAtMaxBehindThoughItsSocketTakesEveryWrite() {
    long maxBehind = TimeUnit.SECONDS.toNanos(3);
    PlayerQueue queue = new PlayerQueue(out, Long.MAX_VALUE, HOUR, maxBehind);
    long start = System.nanoTime();
    long frozenAt = playFor(queue, start, TimeUnit.SECONDS.toNanos(10)) + FRAME_NANOS;
    assertThat(out.closes).as("closed while the peer acknowledged everything").isEmpty();

    out.stopAcknowledging();
    long cutAt = playFor(queue, frozenAt, TimeUnit.SECONDS.toNanos(20));

    assertThat(out.closes).hasSize(1);
    assertThat(out.closes.get(0)).contains("behind live").contains("3000 ms").contains("not acknowledged");
    // After the limit by at most a probe interval (max-behind / 16), a mark interval (max-behind / 32)
    // and a frame.
    assertThat(cutAt - frozenAt).isBetween(maxBehind, maxBehind + maxBehind / 16 + maxBehind / 32 + 2 * FRAME_NANOS);
    assertThat(out.full).as("the socket never looked full").isFalse();
  }

  @Test
  void peerAPartOfASecondBehindIsProbedAboutOncePerMaxBehindAndNeverClosed() {
    long maxBehind = TimeUnit.SECONDS.toNanos(3);
    PlayerQueue queue = new PlayerQueue(out, Long.MAX_VALUE, HOUR, maxBehind);
    long at = System.nanoTime();
    // The peer always has the last half second (12 frames of 1000 bytes) to acknowledge.
    out.acked = 0;
    for (int i = 0; i < 1500; i++, at += FRAME_NANOS) {
      queue.offer(packet(MediaKind.VIDEO, Role.FRAME, ts++, 1000, at));
      out.acked = Math.max(0, out.writtenBytes - 12_000);
    }
    assertThat(out.closes).isEmpty();
    // 60 s of frames: one probe per (max-behind - lag) = 2.5 s, not one per frame.
    assertThat(out.unackedAsked).isBetween(20, 30);
  }

  @Test
  void bytesThatAreNoMediaDoNotDateAPlayerBackAcrossAPauseOfTheStream() {
    long maxBehind = TimeUnit.SECONDS.toNanos(3);
    PlayerQueue queue = new PlayerQueue(out, Long.MAX_VALUE, HOUR, maxBehind);
    long resumedAt = playFor(queue, System.nanoTime(), TimeUnit.SECONDS.toNanos(5)) + TimeUnit.MINUTES.toNanos(1);
    // The publisher was away for a minute. Back, its onStatus reaches the player before the media, and
    // neither is acknowledged yet when the first packet's probe comes.
    out.acked = out.writtenBytes;
    out.otherUnacked = 200;
    int asked = out.unackedAsked;
    queue.offer(packet(MediaKind.VIDEO, Role.SYNC, ts++, 1000, resumedAt));
    assertThat(out.unackedAsked).as("probed").isEqualTo(asked + 1);
    assertThat(out.closes).isEmpty();
  }

  /** What a queue tells the meters, recorded. */
  static final class TestEvents implements PlayerQueue.Events {
    final List<Long> firstFrames = new ArrayList<>();
    long dropped;
    int closedBehind;

    @Override
    public void firstFrame(long nanos) {
      firstFrames.add(nanos);
    }

    @Override
    public void framesDropped(long frames) {
      dropped += frames;
    }

    @Override
    public void closedBehind() {
      closedBehind++;
    }
  }

  @Test
  void eventsReportTheFirstFrameOnceEveryDroppedFrameAndTheCutForBeingBehind() throws Exception {
    TestEvents events = new TestEvents();
    long maxBehind = TimeUnit.MILLISECONDS.toNanos(20);
    long created = System.nanoTime();
    PlayerQueue queue = new PlayerQueue(out, 100, HOUR, maxBehind, events);
    queue.offer(video(Role.CONFIG, 10));
    assertThat(events.firstFrames).as("configuration is no frame").isEmpty();
    queue.offer(video(Role.SYNC, 10));
    queue.offer(video(Role.FRAME, 10));
    assertThat(events.firstFrames).hasSize(1);
    assertThat(events.firstFrames.get(0)).isBetween(0L, System.nanoTime() - created);

    out.full = true;
    queue.offer(video(Role.FRAME, 60));
    queue.offer(video(Role.FRAME, 60)); // overflow: two dropped at once
    queue.offer(video(Role.FRAME, 1)); // and one more while skipping
    assertThat(events.dropped).isEqualTo(queue.dropped()).isEqualTo(3);
    assertThat(events.closedBehind).isZero();

    clockPasses(System.nanoTime(), maxBehind);
    queue.offer(video(Role.FRAME, 1));
    queue.offer(video(Role.FRAME, 1));
    assertThat(events.closedBehind).isEqualTo(1);
    assertThat(out.closes).hasSize(1);
    assertThat(events.dropped).isEqualTo(queue.dropped());
    assertThat(events.firstFrames).hasSize(1);
  }

  @Test
  void closedQueueWritesNothingMore() {
    PlayerQueue queue = new PlayerQueue(out, 1000, HOUR, HOUR);
    out.full = true;
    queue.offer(video(Role.SYNC, 10));
    queue.close();
    assertThat(queue.queuedBytes()).isZero();
    out.full = false;
    queue.drain();
    queue.offer(video(Role.SYNC, 10));
    assertThat(out.written).isEmpty();
    assertThat(out.closes).isEmpty();
  }
}
