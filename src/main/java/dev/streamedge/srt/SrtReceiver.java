package dev.streamedge.srt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The receiving side of one SRT connection in live mode (§4.5-4.8, §4.10): a ring of at most
 * {@code maxBufferPackets} packets from the first undelivered sequence number, the loss list, ACK
 * and NAK contents, RTT from ACKACK, too-late packet drop and the sender's drop requests. Pure: time is passed in as
 * microseconds of any monotonic clock; nothing is sent, the caller sends what the methods return.
 *
 * <p>Delivery is immediate and in order: a packet goes to the sink as soon as every packet before it
 * was delivered or dropped. A hole at the head waits until the first packet after it has been held
 * {@code latencyMillis}; then the missing packets are dropped (TLPKTDROP, §4.6) and delivery goes on.
 *
 * <p>Buffers: {@link #onData} keeps a retained slice of the payload, so the caller releases its
 * datagram as usual. The sink receives that slice and owns it: it must release it. {@link #close}
 * releases what is still held. Not thread-safe: one connection, one event loop.
 */
public final class SrtReceiver {

  /** At most this many ranges per periodic loss report: 1280 bytes, within any MTU. */
  public static final int MAX_NAK_RANGES = 160;
  /** The largest buffer; keeps sequence offsets far from the 2^30 comparison horizon. */
  public static final int MAX_BUFFER_PACKETS = 1 << 20;
  /** Full ACKs remembered for matching ACKACKs (libsrt keeps 1024; 10 ms apart 64 span 640 ms). */
  private static final int ACK_HISTORY = 64;
  /** §4.8.2: the periodic NAK interval is never below 20 ms. */
  private static final long MIN_NAK_INTERVAL_MICROS = 20_000;
  /**
   * Marks a slot the sender gave up on (a drop request): counted as stored so that it is neither reported lost
   * nor waited for, skipped at delivery, never handed out or released.
   */
  private static final ByteBuf DROPPED = Unpooled.unreleasableBuffer(Unpooled.buffer(0, 0));

  private final long latencyMicros;
  private final int capacity;
  private final int peerSocketId;
  private final long startMicros;
  private final Consumer<ByteBuf> sink;
  private final ByteBuf[] slots;
  private final long[] arrivalMicros;
  private final long[] nakSentMicros;

  /** The next sequence number to deliver; its slot is {@code headIndex}. */
  private int head;
  private int headIndex;
  /** One past the highest sequence number received. */
  private int end;
  private int stored;

  private int ackNumber;
  private int lastAckValue;
  private long lastAckMicros;
  /** The ACK value the peer confirmed with ACKACK: nothing before it needs acknowledging. */
  private int ackAckedValue;
  private final int[] ackNumbers = new int[ACK_HISTORY];
  private final int[] ackValues = new int[ACK_HISTORY];
  private final long[] ackSentMicros = new long[ACK_HISTORY];
  private int ackCount;
  /** Whether an ACKACK has measured the RTT yet: until then it is the assumed 100 ms. */
  private boolean rttSampled;

  /** §4.10: 100 ms and 50 ms until measured. */
  private int rttMicros = 100_000;
  private int rttVarianceMicros = 50_000;

  private final ReceiveRates rates = new ReceiveRates();

  private long receivedPackets;
  private long receivedBytes;
  private long retransmittedPackets;
  private long lostPackets;
  private long droppedPackets;
  private long duplicatePackets;
  private long belatedPackets;
  private long tooFarAheadPackets;
  private long deliveredPackets;

  /** What the receiver has counted since it started. */
  public record Stats(long receivedPackets, long receivedBytes, long retransmittedPackets,
      long lostPackets, long droppedPackets, long duplicatePackets, long belatedPackets,
      long tooFarAheadPackets, long deliveredPackets, int bufferedPackets, int missingPackets) {
  }

  /**
   * @param initialSequence the caller's initial sequence number from the handshake
   * @param latencyMillis the agreed TSBPD delay (HSRSP receiver delay)
   * @param maxBufferPackets the ring's size, also the flow window announced (at most the
   *     handshake's flow window)
   * @param peerSocketId the caller's socket id: the destination of what this side sends
   * @param startMicros this side's connection start: header timestamps count from it
   * @param sink receives each payload in order and must release it
   */
  public SrtReceiver(int initialSequence, int latencyMillis, int maxBufferPackets, int peerSocketId,
      long startMicros, Consumer<ByteBuf> sink) {
    if ((initialSequence & ~SeqNo.MAX) != 0 || latencyMillis < 0 || maxBufferPackets < 1
        || maxBufferPackets > MAX_BUFFER_PACKETS) {
      throw new IllegalArgumentException("bad receiver parameters");
    }
    this.latencyMicros = latencyMillis * 1000L;
    this.capacity = maxBufferPackets;
    this.peerSocketId = peerSocketId;
    this.startMicros = startMicros;
    this.sink = sink;
    this.slots = new ByteBuf[maxBufferPackets];
    this.arrivalMicros = new long[maxBufferPackets];
    this.nakSentMicros = new long[maxBufferPackets];
    this.head = initialSequence;
    this.end = initialSequence;
    this.lastAckValue = initialSequence;
    this.ackAckedValue = initialSequence;
  }

  /**
   * Takes one data packet. Returns the sequence numbers this packet revealed as lost (those between
   * the highest received before and it), for an immediate NAK (§4.8.1); usually an empty list.
   * Packets before the head (already delivered or dropped), duplicates and packets more than the
   * buffer ahead of the head are counted and ignored.
   */
  public List<SeqRange> onData(DataPacket packet, long nowMicros) {
    int seq = packet.sequence();
    int length = packet.payload().readableBytes();
    receivedPackets++;
    receivedBytes += length;
    if (packet.retransmitted()) {
      retransmittedPackets++;
    }
    rates.measure(length, nowMicros);
    int offset = SeqNo.offset(head, seq);
    if (offset < 0) {
      belatedPackets++;
      return List.of();
    }
    if (offset >= capacity) {
      tooFarAheadPackets++;
      return List.of();
    }
    int endOffset = SeqNo.offset(head, end);
    int index = index(offset);
    List<SeqRange> lost = List.of();
    if (offset >= endOffset) {
      if (offset > endOffset) {
        lost = List.of(new SeqRange(end, SeqNo.add(seq, -1)));
        lostPackets += offset - endOffset;
        for (int i = endOffset; i < offset; i++) {
          nakSentMicros[index(i)] = nowMicros;
        }
      }
      end = SeqNo.next(seq);
    } else if (slots[index] != null) {
      duplicatePackets++;
      return List.of();
    }
    rates.probe(seq, packet.retransmitted(), nowMicros);
    slots[index] = packet.payload().retainedSlice();
    arrivalMicros[index] = nowMicros;
    stored++;
    deliver();
    dropTooLate(nowMicros);
    return lost;
  }

  /**
   * The sender gave up on the packets {@code first} to {@code last} (a message drop request, §3.2.9, which libsrt
   * sends for packets it dropped as too late, and in answer to a loss report of them): those still missing are
   * no longer reported lost, and delivery goes on past them at once rather than after the latency. A range
   * past the highest packet received moves it on, within the buffer, as libsrt's receiver does. Returns how
   * many were given up on here.
   */
  public int onDropRequest(int first, int last, long nowMicros) {
    if (SeqNo.offset(first, last) < 0 || SeqNo.offset(head, last) < 0) {
      return 0; // an empty range, or one delivered or dropped already
    }
    int from = Math.max(0, SeqNo.offset(head, first));
    int to = Math.min(SeqNo.offset(head, last), capacity - 1);
    int endOffset = SeqNo.offset(head, end);
    if (to >= endOffset) {
      end = SeqNo.add(head, to + 1);
    }
    int skipped = 0;
    for (int i = from; i <= to; i++) {
      int index = index(i);
      if (slots[index] == null) {
        slots[index] = DROPPED;
        arrivalMicros[index] = nowMicros;
        stored++;
        skipped++;
      }
    }
    droppedPackets += skipped;
    deliver();
    return skipped;
  }

  /** The time-based part: drops holes that waited out the latency, then delivers what follows. */
  public void tick(long nowMicros) {
    dropTooLate(nowMicros);
  }

  /**
   * The full ACK to send now (§3.2.4, §4.8.1; the caller's timer asks every 10 ms), or null when none
   * is needed: nothing was received since the last one and either the peer confirmed it with ACKACK
   * or it was sent less than 2 RTT ago (libsrt's rule, which resends a possibly lost ACK).
   */
  public Ack nextFullAck(long nowMicros) {
    rates.measure(0, nowMicros);
    int value = head;
    if (value == ackAckedValue
        || value == lastAckValue && ackCount > 0 && nowMicros - lastAckMicros < 2L * rttMicros) {
      return null;
    }
    ackNumber = ackNumber == SeqNo.MAX ? 1 : ackNumber + 1;
    int slot = ackCount++ % ACK_HISTORY;
    ackNumbers[slot] = ackNumber;
    ackValues[slot] = value;
    ackSentMicros[slot] = nowMicros;
    lastAckValue = value;
    lastAckMicros = nowMicros;
    return new Ack(timestamp(nowMicros), peerSocketId, Ack.Form.FULL, ackNumber, value, rttMicros,
        rttVarianceMicros, availableBufferPackets(), rates.packetRate(), rates.linkCapacity(), rates.byteRate());
  }

  /**
   * An ACKACK arrived: the RTT sample is the time since that ACK was sent (§4.10), smoothed as
   * RTTVar = 3/4 RTTVar + 1/4 |RTT - sample|, then RTT = 7/8 RTT + 1/8 sample. Returns whether the
   * ACK number was one of the recent ones.
   */
  public boolean onAckAck(int ackNumber, long nowMicros) {
    for (int i = 0; i < Math.min(ackCount, ACK_HISTORY); i++) {
      if (ackNumbers[i] != ackNumber) {
        continue;
      }
      long sample = Math.max(1, Math.min(nowMicros - ackSentMicros[i], 60_000_000L));
      if (!rttSampled) {
        // The first sample replaces the assumed 100 ms, as libsrt does: on a short path the loss reports of
        // the first second would otherwise come too late for the latency (the interval below grows with RTT).
        rttSampled = true;
        rttMicros = (int) sample;
        rttVarianceMicros = (int) (sample / 2);
      } else {
        rttVarianceMicros = (int) ((3L * rttVarianceMicros + Math.abs(rttMicros - sample)) / 4);
        rttMicros = (int) ((7L * rttMicros + sample) / 8);
      }
      if (SeqNo.offset(ackAckedValue, ackValues[i]) > 0) {
        ackAckedValue = ackValues[i];
      }
      // A second ACKACK of the same number must not count twice.
      ackNumbers[i] = 0;
      return true;
    }
    return false;
  }

  /**
   * The lost sequence numbers not reported within the NAK interval, max((RTT + 4 RTTVar) / 2, 20 ms)
   * (§4.8.2) but at most a quarter of the latency, oldest first, at most {@link #MAX_NAK_RANGES} ranges; marks them reported now.
   */
  public List<SeqRange> lossesToReport(long nowMicros) {
    if (missingPackets() == 0) {
      return List.of();
    }
    // At most a quarter of the latency: a report lost on the way gets three more chances before the hole is
    // given up on, even while RTT is still the assumed 100 ms (which alone would make the interval 150 ms).
    long interval = Math.max(Math.min((rttMicros + 4L * rttVarianceMicros) / 2, latencyMicros / 4),
        MIN_NAK_INTERVAL_MICROS);
    List<SeqRange> ranges = new ArrayList<>();
    int endOffset = SeqNo.offset(head, end);
    int from = -1;
    for (int i = 0; i <= endOffset; i++) {
      int index = index(i);
      boolean due = i < endOffset && slots[index] == null
          && nowMicros - nakSentMicros[index] >= interval;
      if (due && from < 0) {
        if (ranges.size() == MAX_NAK_RANGES) {
          break;
        }
        from = i;
      } else if (!due && from >= 0) {
        ranges.add(new SeqRange(SeqNo.add(head, from), SeqNo.add(head, i - 1)));
        from = -1;
      }
      if (due) {
        nakSentMicros[index] = nowMicros;
      }
    }
    return ranges;
  }

  /** A NAK of {@code ranges} to send now. */
  public Nak nak(List<SeqRange> ranges, long nowMicros) {
    return new Nak(timestamp(nowMicros), peerSocketId, ranges);
  }

  /** The header timestamp of a packet sent now: microseconds since the connection start. */
  public int timestamp(long nowMicros) {
    return (int) (nowMicros - startMicros);
  }

  /** The next sequence number to deliver: the ACK's value. */
  public int head() {
    return head;
  }

  public int rttMicros() {
    return rttMicros;
  }

  public int rttVarianceMicros() {
    return rttVarianceMicros;
  }

  public Stats stats() {
    return new Stats(receivedPackets, receivedBytes, retransmittedPackets, lostPackets,
        droppedPackets, duplicatePackets, belatedPackets, tooFarAheadPackets, deliveredPackets,
        stored, missingPackets());
  }

  /** Releases the packets still held; the receiver takes nothing more after. */
  public void close() {
    for (int i = 0; i < capacity; i++) {
      if (slots[i] != null && slots[i] != DROPPED) {
        slots[i].release();
      }
      slots[i] = null;
    }
    stored = 0;
    head = end;
  }

  private int missingPackets() {
    return SeqNo.offset(head, end) - stored;
  }

  /** Free slots after the highest received; libsrt never announces fewer than 2. */
  private int availableBufferPackets() {
    return Math.max(capacity - SeqNo.offset(head, end), 2);
  }

  private int index(int offset) {
    int index = headIndex + offset;
    return index >= capacity ? index - capacity : index;
  }

  private void deliver() {
    while (stored > 0 && slots[headIndex] != null) {
      ByteBuf payload = slots[headIndex];
      slots[headIndex] = null;
      stored--;
      advance(1);
      if (payload != DROPPED) {
        deliveredPackets++;
        sink.accept(payload);
      }
    }
  }

  private void dropTooLate(long nowMicros) {
    while (stored > 0 && slots[headIndex] == null) {
      // A packet is stored, so the hole ends before the end of the buffer.
      int hole = 1;
      while (slots[index(hole)] == null) {
        hole++;
      }
      if (nowMicros - arrivalMicros[index(hole)] < latencyMicros) {
        return;
      }
      droppedPackets += hole;
      advance(hole);
      deliver();
    }
  }

  private void advance(int count) {
    head = SeqNo.add(head, count);
    headIndex = index(count);
  }
}
