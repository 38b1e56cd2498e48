package dev.streamedge.srt;

import static dev.streamedge.srt.SrtBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.srt.HandshakeExtension.HsReq;
import dev.streamedge.srt.HandshakeExtension.StreamId;
import dev.streamedge.testing.FuzzSeeds;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated datagrams: decoding only returns or throws {@link SrtFormatException}, and what
 * it returns encodes back to itself. Random arrival orders into the receiver: delivery strictly in
 * order, the buffer within its bound, every payload accounted for. Random peers' reports into the sender.
 */
@Tag("unit")
class SrtFuzzTest {

  private static final int INPUTS = 200_000;
  /**
   * Seeds every run replays besides its own (see {@link FuzzSeeds}): a seed that found a fault goes
   * here with the fix.
   */
  private static final long[] GOLDEN = {};
  private static final int[] INTERESTING_BYTES = {0x00, 0x01, 0x03, 0x05, 0x7f, 0x80, 0xc0, 0xfe,
      0xff};

  @Test
  void decodeOnlyReturnsOrThrowsFormatException() {
    for (long seed : FuzzSeeds.with(GOLDEN)) {
      FuzzSeeds.run(seed, SrtFuzzTest::decodeRandomAndMutated);
    }
  }

  private static Void decodeRandomAndMutated(Random random) {
    List<byte[]> valid = validDatagrams(random);
    byte[] bytes = null;
    int input = 0;
    try {
      for (; input < INPUTS; input++) {
        bytes = random.nextInt(10) == 0 ? randomBytes(random, random.nextInt(80))
            : mutate(valid.get(random.nextInt(valid.size())), random);
        SrtPacket packet;
        try {
          packet = SrtPacket.decode(Unpooled.wrappedBuffer(bytes));
        } catch (SrtFormatException expected) {
          continue;
        }
        ByteBuf out = Unpooled.buffer();
        packet.encodeTo(out);
        SrtPacket again = SrtPacket.decode(out);
        if (!again.equals(packet)) {
          throw new AssertionError("re-encoding changed " + packet + " to " + again);
        }
      }
    } catch (Throwable t) {
      throw new AssertionError("input " + input + ": "
          + (bytes == null ? "" : HexFormat.of().formatHex(bytes)), t);
    }
    return null;
  }

  private static List<byte[]> validDatagrams(Random random) {
    List<SrtPacket> packets = new ArrayList<>();
    byte[] address = {127, 0, 0, 1};
    packets.add(new Handshake(1, 0, 4, 0, 2, random.nextInt() & SeqNo.MAX, 1500, 8192,
        Handshake.TYPE_INDUCTION, random.nextInt(), 0, Handshake.peerAddressOf(address), List.of()));
    packets.add(new Handshake(2, 0, 5, 0, 5, 1, 1500, 8192, Handshake.TYPE_CONCLUSION, 7, 9,
        Handshake.peerAddressOf(address), List.of(new HsReq(0x010503, 0xBF, 120, 120),
            new StreamId("#!::r=live/test,m=publish"), new HandshakeExtension.Congestion("live"),
            new HandshakeExtension.KmReq(Bytes.of(new byte[16])))));
    packets.add(new Ack(1, 2, Ack.Form.FULL, 3, 4, 5, 6, 7, 8, 9, 10));
    packets.add(Ack.light(1, 2, 3));
    packets.add(new Nak(1, 2, List.of(new SeqRange(5, 9), SeqRange.of(12))));
    packets.add(new SrtPacket.KeepAlive(1, 2));
    packets.add(new SrtPacket.DropRequest(1, 2, 3, 4, 5));
    packets.add(new DataPacket(5, 3, false, 0, false, 1, 2, 3,
        Unpooled.wrappedBuffer(randomBytes(random, 188))));
    List<byte[]> datagrams = new ArrayList<>();
    for (SrtPacket packet : packets) {
      ByteBuf out = Unpooled.buffer();
      packet.encodeTo(out);
      datagrams.add(ByteBufUtil.getBytes(out));
    }
    datagrams.add(hex("80000000 00000000 00000000 00000000" + "00".repeat(48)
        + "0005 0002 c0c1c2c3 fffefdfc"));
    // 512 bytes that are not UTF-8: 1536 once each is replaced, over the stream id's limit.
    datagrams.add(hex("80000000 00000000 00000000 00000000" + "00".repeat(48) + "0005 0080"
        + "ff".repeat(512)));
    return datagrams;
  }

  private static byte[] mutate(byte[] valid, Random random) {
    byte[] bytes = valid.clone();
    for (int i = random.nextInt(4); i >= 0; i--) {
      int length = bytes.length;
      switch (random.nextInt(5)) {
        case 0 -> {
          if (length > 0) {
            bytes[random.nextInt(length)] ^= (byte) (1 << random.nextInt(8));
          }
        }
        case 1 -> {
          int at = random.nextInt(length + 1);
          byte[] inserted = randomBytes(random, 1 + random.nextInt(12));
          bytes = concat(slice(bytes, 0, at), inserted, slice(bytes, at, length));
        }
        case 2 -> {
          int at = random.nextInt(length + 1);
          int end = Math.min(length, at + 1 + random.nextInt(16));
          bytes = concat(slice(bytes, 0, at), slice(bytes, end, length));
        }
        case 3 -> bytes = slice(bytes, 0, random.nextInt(length + 1));
        default -> {
          if (length > 0) {
            bytes[random.nextInt(Math.min(length, 80))] =
                (byte) INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
          }
        }
      }
    }
    return bytes;
  }

  @Test
  void receiverDeliversInOrderWithinItsBound() {
    for (long seed : FuzzSeeds.with(GOLDEN)) {
      FuzzSeeds.run(seed, random -> {
        for (int round = 0; round < 200; round++) {
          receiveShuffled(random);
        }
        return null;
      });
    }
  }

  /**
   * Random sends, ACKs (of anything, past what was sent too), loss reports of random ranges, drops and
   * stalls into the sender: nothing but the documented {@link IllegalStateException} of a send when full,
   * in-flight within the capacity, the unacknowledged bytes the sum of what is kept, every packet it hands
   * out (first or again) one it keeps with its own sequence number, and every payload released once, by the
   * end.
   */
  @Test
  void senderKeepsItsAccountsWhateverThePeerReports() {
    for (long seed : FuzzSeeds.with(GOLDEN)) {
      FuzzSeeds.run(seed, random -> {
        for (int round = 0; round < 100; round++) {
          sendAtRandom(random);
        }
        return null;
      });
    }
  }

  private static void sendAtRandom(Random random) {
    int isn = random.nextBoolean() ? SeqNo.MAX - random.nextInt(50) : random.nextInt() & SeqNo.MAX;
    int capacity = 1 + random.nextInt(64);
    SrtSender sender = new SrtSender(isn, 1, 0, random.nextInt(3000), capacity);
    Map<Integer, ByteBuf> kept = new HashMap<>();
    List<ByteBuf> all = new ArrayList<>();
    long now = 0;
    int next = isn;
    for (int step = 0; step < 300; step++) {
      now += random.nextInt(50_000);
      int span = Math.max(1, next - isn + 5);
      int someSeq = SeqNo.add(isn, random.nextInt(span * 2) - span / 2);
      switch (random.nextInt(5)) {
        case 0, 1 -> {
          ByteBuf payload = Unpooled.buffer(1 + random.nextInt(20)).writeZero(1 + random.nextInt(20));
          if (sender.full()) {
            try {
              sender.send(payload, now);
              throw new AssertionError("a full sender took a payload");
            } catch (IllegalStateException expected) {
              payload.release();
              sender.dropOldest();
            }
          } else {
            all.add(payload);
            DataPacket packet = sender.send(payload, now);
            if (packet.sequence() != next || packet.payload() != payload) {
              throw new AssertionError("sent as " + packet.sequence() + ", expected " + next);
            }
            kept.put(next, payload);
            next = SeqNo.next(next);
          }
        }
        case 2 -> sender.onAck(new Ack(0, 1, random.nextBoolean() ? Ack.Form.FULL : Ack.Form.LIGHT,
            random.nextInt(100), someSeq, random.nextInt(200_000), random.nextInt(100_000), 0, 0, 0, 0), now);
        case 3 -> {
          int length = random.nextInt(40);
          SrtSender.Resend resend = sender.onNak(new Nak(0, 1, List.of(new SeqRange(someSeq,
              SeqNo.add(someSeq, length)))), now);
          checkKept(resend.packets(), kept);
        }
        default -> {
          sender.dropTooLate(now);
          checkKept(sender.resendUnacknowledged(now), kept);
        }
      }
      if (sender.inFlight() < 0 || sender.inFlight() > capacity) {
        throw new AssertionError("in flight " + sender.inFlight() + " of " + capacity);
      }
      long unacked = 0;
      for (int i = 0, seq = SeqNo.add(next, -sender.inFlight()); i < sender.inFlight(); i++, seq = SeqNo.next(seq)) {
        unacked += kept.get(seq).readableBytes();
      }
      if (unacked != sender.unackedBytes()) {
        throw new AssertionError("unacked bytes " + sender.unackedBytes() + ", kept " + unacked);
      }
    }
    sender.close();
    for (ByteBuf payload : all) {
      if (payload.refCnt() != 0) {
        throw new AssertionError("a payload not released once: refCnt " + payload.refCnt());
      }
    }
  }

  private static void checkKept(List<DataPacket> packets, Map<Integer, ByteBuf> kept) {
    for (DataPacket packet : packets) {
      if (!packet.retransmitted() || kept.get(packet.sequence()) != packet.payload() || packet.payload().refCnt() < 1) {
        throw new AssertionError("sent again as " + packet.sequence() + ": not the payload kept for it");
      }
    }
  }

  private static void receiveShuffled(Random random) {
    int isn = random.nextBoolean() ? SeqNo.MAX - random.nextInt(50) : random.nextInt() & SeqNo.MAX;
    int capacity = 1 + random.nextInt(64);
    int latencyMillis = random.nextInt(50);
    List<ByteBuf> delivered = new ArrayList<>();
    SrtReceiver receiver = new SrtReceiver(isn, latencyMillis, capacity, 1, 0, delivered::add);
    int count = 1 + random.nextInt(400);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      if (random.nextInt(10) != 0) {
        order.add(i);
      }
      if (random.nextInt(8) == 0) {
        order.add(Math.max(0, i - random.nextInt(capacity + 5)));
      }
    }
    for (int i = 0; i < order.size(); i++) {
      int j = Math.min(order.size() - 1, i + random.nextInt(1 + random.nextInt(capacity + 3)));
      order.set(j, order.set(i, order.get(j)));
    }
    List<ByteBuf> sent = new ArrayList<>();
    long now = 0;
    for (int offset : order) {
      now += random.nextInt(3000);
      ByteBuf payload = Unpooled.buffer(4).writeInt(offset);
      sent.add(payload);
      int seq = SeqNo.add(isn, offset);
      int headBefore = receiver.head();
      for (SeqRange lost : receiver.onData(new DataPacket(seq, 3, false, 0, random.nextBoolean(), 1,
          0, 1, payload), now)) {
        assertThat(SeqNo.offset(headBefore, lost.from())).isNotNegative();
        assertThat(SeqNo.offset(lost.to(), seq)).isPositive();
      }
      switch (random.nextInt(5)) {
        case 0 -> receiver.tick(now);
        case 3 -> {
          // A drop request around the head, some empty, some reaching past what was received.
          int from = random.nextInt(capacity + 8) - 4;
          int to = from + random.nextInt(capacity + 4) - 1;
          int skipped = receiver.onDropRequest(SeqNo.add(receiver.head(), from), SeqNo.add(receiver.head(), to), now);
          assertThat(skipped).isBetween(0, capacity);
        }
        case 1 -> {
          Ack ack = receiver.nextFullAck(now);
          if (ack != null) {
            assertThat(ack.lastAcknowledgedPlusOne()).isEqualTo(receiver.head());
            assertThat(ack.availableBufferPackets()).isBetween(2, Math.max(2, capacity));
            receiver.onAckAck(ack.ackNumber(), now + random.nextInt(5000));
          }
        }
        case 2 -> assertThat(receiver.lossesToReport(now)).hasSizeLessThanOrEqualTo(capacity);
        default -> {
        }
      }
      SrtReceiver.Stats stats = receiver.stats();
      assertThat(stats.bufferedPackets() + stats.missingPackets()).isLessThanOrEqualTo(capacity);
    }
    receiver.tick(now + latencyMillis * 1000L + 1);
    SrtReceiver.Stats stats = receiver.stats();
    assertThat(stats.bufferedPackets()).isZero();
    int previous = -1;
    for (ByteBuf payload : delivered) {
      int offset = payload.getInt(0);
      assertThat(offset).as("strictly increasing").isGreaterThan(previous);
      previous = offset;
      payload.release();
    }
    assertThat(stats.deliveredPackets() + stats.droppedPackets())
        .isEqualTo(SeqNo.offset(isn, receiver.head()));
    receiver.close();
    for (ByteBuf payload : sent) {
      assertThat(payload.refCnt()).as("nothing leaked or over-released").isEqualTo(1);
    }
  }

  private static byte[] randomBytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private static byte[] slice(byte[] bytes, int from, int to) {
    byte[] slice = new byte[to - from];
    System.arraycopy(bytes, from, slice, 0, slice.length);
    return slice;
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] bytes = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, bytes, at, part.length);
      at += part.length;
    }
    return bytes;
  }
}
