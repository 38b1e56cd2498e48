package dev.streamedge.srt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The sending side of a live connection: numbering, acknowledgement, loss reports, drops, wrap-around. */
@Tag("unit")
class SrtSenderTest {

  private static final int PEER = 0x0A0B0C0D;
  private static final long START = 5_000_000;

  private static ByteBuf payload(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
  }

  private static Ack fullAck(int ackNumber, int upTo) {
    return new Ack(0, 1, Ack.Form.FULL, ackNumber, upTo, 0, 0, 8192, 0, 0, 0);
  }

  @Test
  void numbersPayloadsFromTheInitialSequenceWithTheirFirstSendTime() {
    SrtSender sender = new SrtSender(1000, PEER, START, 120, 16);

    DataPacket first = sender.send(payload("one"), START + 1500);
    DataPacket second = sender.send(payload("two"), START + 2500);

    assertThat(first.sequence()).isEqualTo(1000);
    assertThat(second.sequence()).isEqualTo(1001);
    assertThat(first.messageNumber()).isEqualTo(1);
    assertThat(second.messageNumber()).isEqualTo(2);
    assertThat(first.timestamp()).isEqualTo(1500);
    assertThat(first.position()).isEqualTo(DataPacket.POSITION_SOLO);
    assertThat(first.retransmitted()).isFalse();
    assertThat(first.destinationSocket()).isEqualTo(PEER);
    assertThat(first.payload().toString(StandardCharsets.US_ASCII)).isEqualTo("one");
    assertThat(sender.inFlight()).isEqualTo(2);
    assertThat(sender.unackedBytes()).isEqualTo(6);
  }

  @Test
  void aFullAckReleasesWhatItAcknowledgesAndIsAnsweredWithAckAck() {
    SrtSender sender = new SrtSender(0, PEER, START, 120, 16);
    ByteBuf kept = payload("aaaa");
    sender.send(kept, START);
    sender.send(payload("bbbb"), START);
    sender.send(payload("cccc"), START);

    SrtPacket.AckAck answer = sender.onAck(fullAck(7, 2), START + 30_000);

    assertThat(answer).isEqualTo(new SrtPacket.AckAck(30_000, PEER, 7));
    assertThat(sender.inFlight()).isEqualTo(1);
    assertThat(sender.unackedBytes()).isEqualTo(4);
    assertThat(kept.refCnt()).as("an acknowledged payload is released").isZero();
    assertThat(sender.onAck(Ack.light(0, 1, 3), START)).as("a light ACK asks for no ACKACK").isNull();
    assertThat(sender.inFlight()).isZero();
  }

  @Test
  void anAckOfWhatWasNeverSentReleasesNothing() {
    SrtSender sender = new SrtSender(0, PEER, START, 120, 16);
    sender.send(payload("a"), START);

    sender.onAck(fullAck(1, 50), START);

    assertThat(sender.inFlight()).isEqualTo(1);
  }

  @Test
  void aLossReportSendsTheKeptPacketsAgainWithTheirTimestampsAndTheRetransmittedFlag() {
    SrtSender sender = new SrtSender(10, PEER, START, 120, 16);
    for (int i = 0; i < 6; i++) {
      sender.send(payload("p" + i), START + i * 1000L);
    }

    SrtSender.Resend resend = sender.onNak(new Nak(0, 1, List.of(SeqRange.of(11), new SeqRange(13, 14))), START + 9000);

    assertThat(resend.packets()).extracting(DataPacket::sequence).containsExactly(11, 13, 14);
    assertThat(resend.packets()).allMatch(DataPacket::retransmitted);
    assertThat(resend.packets()).extracting(DataPacket::timestamp).containsExactly(1000, 3000, 4000);
    assertThat(resend.packets()).extracting(p -> p.payload().toString(StandardCharsets.US_ASCII))
        .containsExactly("p1", "p3", "p4");
    assertThat(resend.dropped()).isEmpty();
    assertThat(sender.stats().resentPackets()).isEqualTo(3);
  }

  @Test
  void aLossReportOfPacketsGivenUpOnIsAnsweredWithADropRequestAndOfUnsentOnesIgnored() {
    SrtSender sender = new SrtSender(10, PEER, START, 120, 16);
    for (int i = 0; i < 6; i++) {
      sender.send(payload("p" + i), START);
    }
    sender.onAck(fullAck(1, 13), START);

    SrtSender.Resend resend = sender.onNak(new Nak(0, 1, List.of(new SeqRange(11, 14), new SeqRange(20, 30))), START);

    assertThat(resend.dropped()).containsExactly(new SrtPacket.DropRequest(0, PEER, 0, 11, 12));
    assertThat(resend.packets()).extracting(DataPacket::sequence).containsExactly(13, 14);
  }

  @Test
  void aRangeReachingPastTheLastSentIsCutThere() {
    SrtSender sender = new SrtSender(10, PEER, START, 120, 16);
    sender.send(payload("a"), START);
    sender.send(payload("b"), START);

    SrtSender.Resend resend = sender.onNak(new Nak(0, 1, List.of(new SeqRange(11, 40))), START);

    assertThat(resend.packets()).extracting(DataPacket::sequence).containsExactly(11);
  }

  @Test
  void packetsAreGivenUpOnAfterTheLargerOfTheLatencyAndASecondPlusTwoAckPeriods() {
    SrtSender sender = new SrtSender(0, PEER, START, 120, 16);
    sender.send(payload("old"), START);
    sender.send(payload("new"), START + 500_000);

    assertThat(sender.dropTooLate(START + 1_020_000)).isZero();
    assertThat(sender.dropTooLate(START + 1_020_001)).isEqualTo(1);
    assertThat(sender.inFlight()).isEqualTo(1);

    SrtSender slow = new SrtSender(0, PEER, START, 3000, 16);
    slow.send(payload("x"), START);
    assertThat(slow.dropTooLate(START + 2_000_000)).as("a 3 s latency keeps it for 3 s").isZero();
    assertThat(slow.dropTooLate(START + 3_020_001)).isEqualTo(1);
    assertThat(slow.stats().droppedPackets()).isEqualTo(1);
  }

  @Test
  void aFullSenderRefusesMoreUntilItsOldestIsGivenUp() {
    SrtSender sender = new SrtSender(0, PEER, START, 120, 2);
    sender.send(payload("a"), START);
    sender.send(payload("b"), START);

    assertThat(sender.full()).isTrue();
    assertThatThrownBy(() -> sender.send(payload("c"), START)).isInstanceOf(IllegalStateException.class);
    sender.dropOldest();
    assertThat(sender.send(payload("c"), START).sequence()).isEqualTo(2);
    assertThat(sender.stats().droppedPackets()).isEqualTo(1);
  }

  @Test
  void sequenceNumbersWrapAt2To31WithoutTwoPacketsSharingASlot() {
    // 2^31 is no multiple of 3: slots from the sequence number alone would collide across the wrap.
    SrtSender sender = new SrtSender(SeqNo.MAX - 1, PEER, START, 120, 3);
    List<Integer> sequences = new ArrayList<>();
    for (String text : List.of("a", "b", "c")) {
      sequences.add(sender.send(payload(text), START).sequence());
    }

    assertThat(sequences).containsExactly(SeqNo.MAX - 1, SeqNo.MAX, 0);
    SrtSender.Resend resend = sender.onNak(new Nak(0, 1, List.of(new SeqRange(SeqNo.MAX - 1, 0))), START);
    assertThat(resend.packets()).extracting(p -> p.payload().toString(StandardCharsets.US_ASCII))
        .containsExactly("a", "b", "c");
    sender.onAck(fullAck(1, 0), START);
    assertThat(sender.inFlight()).isEqualTo(1);
    assertThat(sender.send(payload("d"), START).sequence()).isEqualTo(1);
    assertThat(sender.onNak(new Nak(0, 1, List.of(new SeqRange(0, 1))), START).packets())
        .extracting(p -> p.payload().toString(StandardCharsets.US_ASCII)).containsExactly("c", "d");
  }

  @Test
  void aPacketUnacknowledgedForHalfTheLatencyGoesAgainAndAgainWhileTheReceiverWaitsForIt() {
    SrtSender sender = new SrtSender(0, PEER, START, 120, 16);
    sender.send(payload("a"), START);
    sender.send(payload("b"), START);
    sender.send(payload("c"), START);
    // The receiver's RTT 10 ms, variance 5 ms: libsrt's timeout 10 + 4 * 5 + 20 = 50 ms, under half the latency;
    // tries 10 + 20 = 30 ms apart (a sixth of the latency is 20).
    sender.onAck(new Ack(0, 1, Ack.Form.FULL, 1, 1, 10_000, 5_000, 8192, 0, 0, 0), START + 20_000);

    assertThat(sender.resendUnacknowledged(START + 59_999)).isEmpty();
    assertThat(sender.resendUnacknowledged(START + 60_000)).extracting(DataPacket::sequence).containsExactly(1, 2);
    assertThat(sender.resendUnacknowledged(START + 70_000)).as("sent again 10 ms ago").isEmpty();
    sender.send(payload("d"), START + 75_000);
    assertThat(sender.resendUnacknowledged(START + 90_000)).as("30 ms later; d is 15 ms old")
        .extracting(DataPacket::sequence).containsExactly(1, 2);
    assertThat(sender.resendUnacknowledged(START + 110_000)).isEmpty();
    assertThat(sender.resendUnacknowledged(START + 120_000)).as("b and c as old as the latency: given up by now")
        .isEmpty();
    assertThat(sender.resendUnacknowledged(START + 135_000)).as("d half the latency old")
        .extracting(DataPacket::sequence).containsExactly(3);
    sender.onAck(fullAck(2, 4), START + 140_000);
    assertThat(sender.resendUnacknowledged(START + 170_000)).as("all acknowledged").isEmpty();
    assertThat(sender.stats().resentPackets()).isEqualTo(5);
  }

  @Test
  void aResendForALossReportCountsAsATry() {
    SrtSender sender = new SrtSender(0, PEER, START, 120, 16);
    sender.send(payload("a"), START);
    assertThat(sender.onNak(new Nak(0, 1, List.of(new SeqRange(0, 0))), START + 50_000).packets()).hasSize(1);

    assertThat(sender.resendUnacknowledged(START + 60_000)).as("sent again 10 ms ago").isEmpty();
    assertThat(sender.resendUnacknowledged(START + 80_000)).extracting(DataPacket::sequence).containsExactly(0);
  }

  @Test
  void beforeTheRoundTripIsMeasuredAPacketStillGetsThreeTriesWithinTheLatency() {
    // libsrt's receiver reports the assumed RTT (100 ms, variance 50 ms) until it has measured one: its timeout
    // of 320 ms would come after the receiver gave the packet up at 120 ms; 120 - 100 / 2 = 70 ms does not.
    SrtSender sender = new SrtSender(0, PEER, START, 120, 16);
    sender.send(payload("a"), START);
    sender.onAck(new Ack(0, 0, Ack.Form.FULL, 1, 0, 100_000, 50_000, 8192, 0, 0, 0), START + 5_000);

    assertThat(sender.resendUnacknowledged(START + 69_999)).isEmpty();
    assertThat(sender.resendUnacknowledged(START + 70_000)).extracting(DataPacket::sequence).containsExactly(0);
    assertThat(sender.resendUnacknowledged(START + 89_999)).as("a sixth of the latency: 20 ms").isEmpty();
    assertThat(sender.resendUnacknowledged(START + 90_000)).extracting(DataPacket::sequence).containsExactly(0);
    assertThat(sender.resendUnacknowledged(START + 110_000)).extracting(DataPacket::sequence).containsExactly(0);
    assertThat(sender.resendUnacknowledged(START + 130_000)).as("older than the latency").isEmpty();
  }

  @Test
  void aMeasuredRoundTripOfHalfTheLatencyOrMoreKeepsLibsrtsTimeout() {
    // RTT 60 ms: a try at 60 ms would go before the ACK could come back, for every packet.
    SrtSender sender = new SrtSender(0, PEER, START, 120, 16);
    sender.send(payload("a"), START);
    sender.onAck(new Ack(0, 0, Ack.Form.FULL, 1, 0, 60_000, 5_000, 8192, 0, 0, 0), START + 5_000);

    assertThat(sender.resendUnacknowledged(START + 99_999)).as("60 + 4 * 5 + 20 ms").isEmpty();
    assertThat(sender.resendUnacknowledged(START + 100_000)).extracting(DataPacket::sequence).containsExactly(0);
  }

  @Test
  void aResendForAgeSendsAtMostItsShareOfTheOldestPackets() {
    SrtSender sender = new SrtSender(0, PEER, START, 120, 300);
    for (int i = 0; i < 300; i++) {
      sender.send(payload("p"), START);
    }

    // No ACK yet: the first try at 70 ms (below).
    assertThat(sender.resendUnacknowledged(START + 70_000)).extracting(DataPacket::sequence)
        .hasSize(SrtSender.MAX_TAIL_RESEND).startsWith(0).endsWith(SrtSender.MAX_TAIL_RESEND - 1);
    assertThat(sender.resendUnacknowledged(START + 80_000)).as("the next ones, the first sent again 10 ms ago")
        .extracting(DataPacket::sequence).startsWith(SrtSender.MAX_TAIL_RESEND).hasSize(SrtSender.MAX_TAIL_RESEND);
  }

  @Test
  void closeReleasesEveryPayload() {
    SrtSender sender = new SrtSender(0, PEER, START, 120, 4);
    ByteBuf a = payload("a");
    ByteBuf b = payload("b");
    sender.send(a, START);
    sender.send(b, START);

    sender.close();

    assertThat(a.refCnt()).isZero();
    assertThat(b.refCnt()).isZero();
    assertThat(sender.inFlight()).isZero();
  }
}
