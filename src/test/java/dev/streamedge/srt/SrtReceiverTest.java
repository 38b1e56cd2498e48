package dev.streamedge.srt;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The receiver: order, loss, retransmission, too-late drop, ACK, RTT, periodic NAK. */
@Tag("unit")
class SrtReceiverTest {

  private static final int LATENCY_MS = 120;
  private final List<Integer> delivered = new ArrayList<>();
  private final List<ByteBuf> held = new ArrayList<>();

  private SrtReceiver receiver(int isn, int capacity) {
    return receiver(isn, capacity, LATENCY_MS);
  }

  private SrtReceiver receiver(int isn, int capacity, int latencyMillis) {
    return new SrtReceiver(isn, latencyMillis, capacity, 0x2A3B4C5D, 1_000_000L, payload -> {
      delivered.add(payload.getInt(0));
      held.add(payload);
    });
  }

  private static DataPacket data(int seq, boolean retransmitted) {
    ByteBuf payload = Unpooled.buffer(8).writeInt(seq).writeInt(0);
    return new DataPacket(seq, DataPacket.POSITION_SOLO, false, 0, retransmitted, 1, 0, 7, payload);
  }

  private static DataPacket data(int seq) {
    return data(seq, false);
  }

  @AfterEach
  void deliveredBuffersAreOwnedBySink() {
    for (ByteBuf buf : held) {
      assertThat(buf.refCnt()).isPositive();
      buf.release();
    }
  }

  @Test
  void deliversInOrderAtOnce() {
    SrtReceiver r = receiver(100, 16);
    for (int seq = 100; seq < 105; seq++) {
      assertThat(r.onData(data(seq), 0)).isEmpty();
    }
    assertThat(delivered).containsExactly(100, 101, 102, 103, 104);
    assertThat(r.head()).isEqualTo(105);
    assertThat(r.stats().bufferedPackets()).isZero();
    assertThat(r.stats().receivedBytes()).isEqualTo(40);
  }

  @Test
  void gapIsReportedAtOnceAndRetransmissionFillsIt() {
    SrtReceiver r = receiver(100, 16);
    r.onData(data(100), 0);

    assertThat(r.onData(data(104), 10)).containsExactly(new SeqRange(101, 103));
    assertThat(r.onData(data(106), 20)).containsExactly(SeqRange.of(105));
    assertThat(delivered).containsExactly(100);
    assertThat(r.stats().missingPackets()).isEqualTo(4);

    assertThat(r.onData(data(102, true), 30)).isEmpty();
    assertThat(r.onData(data(101, true), 40)).isEmpty();
    assertThat(delivered).containsExactly(100, 101, 102);
    assertThat(r.onData(data(103, true), 50)).isEmpty();
    assertThat(r.onData(data(105, true), 60)).isEmpty();

    assertThat(delivered).containsExactly(100, 101, 102, 103, 104, 105, 106);
    SrtReceiver.Stats stats = r.stats();
    assertThat(stats.lostPackets()).isEqualTo(4);
    assertThat(stats.retransmittedPackets()).isEqualTo(4);
    assertThat(stats.droppedPackets()).isZero();
    assertThat(stats.missingPackets()).isZero();
  }

  @Test
  void holeNotFilledIsDroppedAfterTheLatency() {
    SrtReceiver r = receiver(100, 16);
    r.onData(data(100), 0);
    r.onData(data(103), 1_000);
    r.onData(data(104), 50_000);

    r.tick(1_000 + LATENCY_MS * 1000L - 1);
    assertThat(delivered).containsExactly(100);

    r.tick(1_000 + LATENCY_MS * 1000L);
    assertThat(delivered).containsExactly(100, 103, 104);
    assertThat(r.stats().droppedPackets()).isEqualTo(2);
    assertThat(r.stats().missingPackets()).isZero();
    assertThat(r.onData(data(101, true), 200_000)).isEmpty();
    assertThat(r.stats().belatedPackets()).isEqualTo(1);
    assertThat(delivered).containsExactly(100, 103, 104);
  }

  @Test
  void secondHoleWaitsForItsOwnLatency() {
    SrtReceiver r = receiver(0, 16);
    r.onData(data(1), 0);
    r.onData(data(3), 100_000);

    r.tick(LATENCY_MS * 1000L);
    assertThat(delivered).containsExactly(1);
    r.tick(100_000 + LATENCY_MS * 1000L);
    assertThat(delivered).containsExactly(1, 3);
    assertThat(r.stats().droppedPackets()).isEqualTo(2);
  }

  @Test
  void wrapsAround() {
    SrtReceiver r = receiver(SeqNo.MAX - 1, 8);
    r.onData(data(SeqNo.MAX - 1), 0);

    assertThat(r.onData(data(1), 0)).containsExactly(new SeqRange(SeqNo.MAX, 0));
    r.onData(data(0, true), 0);
    r.onData(data(SeqNo.MAX, true), 0);
    r.onData(data(2), 0);

    assertThat(delivered).containsExactly(SeqNo.MAX - 1, SeqNo.MAX, 0, 1, 2);
    assertThat(r.nextFullAck(10_000).lastAcknowledgedPlusOne()).isEqualTo(3);
  }

  @Test
  void duplicatesAndTooFarAheadAreCountedAndIgnored() {
    SrtReceiver r = receiver(0, 4);
    r.onData(data(0), 0);
    r.onData(data(2), 0);
    r.onData(data(2), 0);
    r.onData(data(0), 0);
    assertThat(r.onData(data(5), 0)).as("beyond head 1 + 4 slots").isEmpty();

    SrtReceiver.Stats stats = r.stats();
    assertThat(stats.duplicatePackets()).isEqualTo(1);
    assertThat(stats.belatedPackets()).isEqualTo(1);
    assertThat(stats.tooFarAheadPackets()).isEqualTo(1);
    assertThat(stats.bufferedPackets()).isEqualTo(1);
    assertThat(r.onData(data(4), 0)).containsExactly(SeqRange.of(3));
    assertThat(delivered).containsExactly(0);
  }

  @Test
  void fullAckNumbersValuesAndSuppression() {
    SrtReceiver r = receiver(100, 16);
    assertThat(r.nextFullAck(0)).as("nothing received").isNull();

    r.onData(data(100), 0);
    r.onData(data(101), 0);
    r.onData(data(103), 0);
    Ack first = r.nextFullAck(1_010_000);

    assertThat(first.ackNumber()).isEqualTo(1);
    assertThat(first.lastAcknowledgedPlusOne()).isEqualTo(102);
    assertThat(first.form()).isEqualTo(Ack.Form.FULL);
    assertThat(first.destinationSocket()).isEqualTo(0x2A3B4C5D);
    assertThat(first.timestamp()).isEqualTo(10_000);
    assertThat(first.rttMicros()).isEqualTo(100_000);
    assertThat(first.rttVarianceMicros()).isEqualTo(50_000);
    assertThat(first.availableBufferPackets()).isEqualTo(16 - 2);

    assertThat(r.nextFullAck(1_020_000)).as("same value within 2 RTT").isNull();
    Ack resent = r.nextFullAck(1_210_000);
    assertThat(resent.ackNumber()).isEqualTo(2);
    assertThat(resent.lastAcknowledgedPlusOne()).isEqualTo(102);

    assertThat(r.onAckAck(2, 1_230_000)).isTrue();
    assertThat(r.nextFullAck(1_500_000)).as("acknowledged by ACKACK").isNull();
    r.onData(data(102, true), 1_500_000);
    Ack third = r.nextFullAck(1_510_000);
    assertThat(third.ackNumber()).isEqualTo(3);
    assertThat(third.lastAcknowledgedPlusOne()).isEqualTo(104);
  }

  @Test
  void ackAckUpdatesRtt() {
    SrtReceiver r = receiver(0, 16);
    r.onData(data(0), 0);
    r.nextFullAck(0);

    assertThat(r.onAckAck(1, 20_000)).isTrue();
    // The first sample replaces the assumed 100 ms, as libsrt's does; RTTVar is half of it.
    assertThat(r.rttMicros()).isEqualTo(20_000);
    assertThat(r.rttVarianceMicros()).isEqualTo(10_000);
    assertThat(r.onAckAck(1, 30_000)).as("answered already").isFalse();
    assertThat(r.onAckAck(9, 30_000)).as("never sent").isFalse();

    r.onData(data(1), 100_000);
    r.nextFullAck(100_000);
    assertThat(r.onAckAck(2, 140_000)).isTrue();
    // RTTVar = (3 * 10000 + |20000 - 40000|) / 4 = 12500; RTT = (7 * 20000 + 40000) / 8 = 22500
    assertThat(r.rttVarianceMicros()).isEqualTo(12_500);
    assertThat(r.rttMicros()).isEqualTo(22_500);
  }

  @Test
  void aLossIsReportedAgainWithinAQuarterOfTheLatencyBeforeAnyRttSample() {
    SrtReceiver r = receiver(0, 64, 120);
    r.onData(data(0), 0);
    assertThat(r.onData(data(2), 0)).containsExactly(SeqRange.of(1));
    // (100000 + 4 * 50000) / 2 = 150 ms would pass the 120 ms latency: a quarter of it, 30 ms, instead.
    assertThat(r.lossesToReport(29_999)).isEmpty();
    assertThat(r.lossesToReport(30_000)).containsExactly(SeqRange.of(1));
    assertThat(r.lossesToReport(60_000)).containsExactly(SeqRange.of(1));
  }

  @Test
  void periodicNakAfterTheInterval() {
    SrtReceiver r = receiver(0, 64, 1000);
    r.onData(data(0), 0);
    r.onData(data(3), 0);
    r.onData(data(5), 10_000);
    // interval max((100000 + 4 * 50000) / 2, 20000) = 150 ms from each report
    assertThat(r.lossesToReport(149_999)).isEmpty();
    assertThat(r.lossesToReport(150_000)).containsExactly(new SeqRange(1, 2));
    assertThat(r.lossesToReport(159_999)).isEmpty();
    assertThat(r.lossesToReport(160_000)).containsExactly(SeqRange.of(4));
    r.onData(data(1, true), 200_000);
    assertThat(r.lossesToReport(300_000)).containsExactly(SeqRange.of(2));
    assertThat(r.lossesToReport(310_000)).containsExactly(SeqRange.of(4));
  }

  @Test
  void nakIntervalHasA20MsFloor() {
    SrtReceiver r = receiver(0, 64, 1000);
    for (int i = 0; i < 30; i++) {
      long now = i * 10_000L;
      r.onData(data(i), now);
      assertThat(r.nextFullAck(now).ackNumber()).isEqualTo(i + 1);
      r.onAckAck(i + 1, now + 100);
    }
    assertThat((r.rttMicros() + 4 * r.rttVarianceMicros()) / 2).isLessThan(20_000);
    r.onData(data(31), 300_000);
    assertThat(r.lossesToReport(319_999)).isEmpty();
    assertThat(r.lossesToReport(320_000)).containsExactly(SeqRange.of(30));
  }

  @Test
  void closeReleasesHeldPackets() {
    SrtReceiver r = receiver(0, 8);
    DataPacket later = data(2);
    r.onData(later, 0);
    assertThat(later.payload().refCnt()).isEqualTo(2);
    r.close();
    assertThat(later.payload().refCnt()).isEqualTo(1);
  }

  // ---- drop requests (§3.2.9) ----

  @Test
  void aDropRequestEndsTheWaitForAHoleAndItsLossReports() {
    SrtReceiver r = receiver(100, 16);
    r.onData(data(100), 0);
    r.onData(data(104), 10);
    assertThat(delivered).containsExactly(100);

    assertThat(r.onDropRequest(101, 102, 20)).isEqualTo(2);
    assertThat(delivered).as("103 still missing").containsExactly(100);
    assertThat(r.lossesToReport(1_000_000)).as("only what was not given up on").containsExactly(SeqRange.of(103));
    assertThat(r.onDropRequest(103, 103, 30)).isEqualTo(1);
    assertThat(delivered).as("delivery goes on at once, not after the latency").containsExactly(100, 104);
    assertThat(r.head()).isEqualTo(105);
    assertThat(r.stats().droppedPackets()).isEqualTo(3);
    assertThat(r.stats().missingPackets()).isZero();
    assertThat(r.stats().bufferedPackets()).isZero();
  }

  @Test
  void aDropRequestSkipsOnlyWhatIsMissingAndALateCopyIsADuplicate() {
    SrtReceiver r = receiver(100, 16);
    r.onData(data(100), 0);
    r.onData(data(102), 10);
    r.onData(data(104), 10);

    assertThat(r.onDropRequest(99, 103, 20)).as("101 and 103; 99 was delivered, 102 is here").isEqualTo(2);
    assertThat(delivered).containsExactly(100, 102, 104);
    r.onData(data(101, true), 30);
    assertThat(delivered).containsExactly(100, 102, 104);
    assertThat(r.stats().belatedPackets()).isEqualTo(1);
  }

  @Test
  void aDropRequestPastTheHighestReceivedMovesItOnWithinTheBuffer() {
    SrtReceiver r = receiver(100, 16);
    r.onData(data(100), 0);

    assertThat(r.onDropRequest(101, 103, 10)).isEqualTo(3);
    assertThat(r.head()).isEqualTo(104);
    assertThat(r.onData(data(104), 20)).as("no loss reported for what the sender dropped").isEmpty();
    assertThat(delivered).containsExactly(100, 104);
    assertThat(r.onDropRequest(105, 5000, 30)).as("no further than the buffer").isEqualTo(16);
    assertThat(r.head()).isEqualTo(121);
  }

  @Test
  void emptyOrPastDropRequestsChangeNothing() {
    SrtReceiver r = receiver(100, 16);
    r.onData(data(100), 0);
    r.onData(data(103), 10);

    assertThat(r.onDropRequest(102, 101, 20)).as("last before first").isZero();
    assertThat(r.onDropRequest(90, 99, 20)).as("all delivered already").isZero();
    assertThat(r.lossesToReport(1_000_000)).containsExactly(new SeqRange(101, 102));
  }

  @Test
  void closeLeavesGivenUpSlotsAlone() {
    SrtReceiver r = receiver(100, 16);
    r.onData(data(100), 0);
    r.onData(data(104), 10);
    r.onDropRequest(101, 101, 20);
    r.close();
    assertThat(r.stats().bufferedPackets()).isZero();
  }
}
