package dev.streamedge.srt;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * The sending side of a live SRT connection (SRT draft §4.5, §4.8): numbers each payload, keeps it until the
 * peer acknowledges it, sends it again for each loss report that names it, and gives up on it once it is too
 * old to be played (TLPKTDROP, §4.6). Pure: payloads in, {@link DataPacket}s and control packets out, no I/O;
 * the caller sends them. Keeps at most {@code capacity} unacknowledged packets; {@link #full} tells when the
 * next payload must wait. Not thread-safe.
 *
 * <p>A packet's timestamp is the time it was first sent, relative to the connection's start, and stays the
 * same when it is sent again: the receiver plays it at that time plus the latency (§4.5, TSBPD). The sender
 * gives up on a packet as libsrt does (core.cpp sndDropTooLate): once it has waited for its acknowledgement
 * longer than the larger of the latency and a second, plus two 10 ms ACK periods.
 */
public final class SrtSender {

  /** libsrt's SRT_TLPKTDROP_MINTHRESHOLD_MS: room for a keyframe that takes a whole second to send. */
  private static final long MIN_DROP_MICROS = 1_000_000;
  /** Two of the receiver's 10 ms ACK periods (libsrt: 2 * COMM_SYN_INTERVAL_US). */
  private static final long DROP_SLACK_MICROS = 20_000;
  /** The round trip assumed before the first ACK tells it (libsrt's initial SRTT, 10 ACK periods). */
  private static final int INITIAL_RTT_MICROS = 100_000;
  /** The most packets one resend for age sends again. */
  static final int MAX_TAIL_RESEND = 64;
  /** The most kept packets one resend for age looks at, oldest first. */
  private static final int MAX_TAIL_SCAN = 4 * MAX_TAIL_RESEND;
  private static final long NEVER = Long.MIN_VALUE;

  private final int peerSocketId;
  private final long startMicros;
  private final long dropAfterMicros;
  private final long latencyMicros;
  private final int capacity;
  private final ByteBuf[] payloads;
  private final int[] timestamps;
  private final int[] messageNumbers;
  private final long[] sentMicros;
  /** When each kept packet was last sent again, for a loss report or its age; {@link #NEVER} if not. */
  private final long[] resentMicros;
  /** The oldest sequence number kept: every one before it was acknowledged or given up on. */
  private int oldest;
  /** Where {@link #oldest} sits in the arrays (sequence numbers wrap at 2^31, which no capacity divides). */
  private int oldestSlot;
  /** The sequence number the next payload gets. */
  private int next;
  private int messageNumber = 1;
  private long unackedBytes;
  private int rttMicros = INITIAL_RTT_MICROS;
  private int rttVarianceMicros = INITIAL_RTT_MICROS / 2;
  /** Whether the receiver reported a round trip it measured rather than the assumed one (§4.10: 100 ms, 50 ms). */
  private boolean rttMeasured;
  private long sentPackets;
  private long resentPackets;
  private long droppedPackets;

  /** Packets sent for the first time, sent again after a loss report, and given up on unacknowledged. */
  public record Stats(long sentPackets, long resentPackets, long droppedPackets) {
  }

  /** What a loss report asks for: the packets to send again, and the ranges given up on already (DROPREQ). */
  public record Resend(List<DataPacket> packets, List<SrtPacket.DropRequest> dropped) {
  }

  /**
   * @param initialSequence the first sequence number, the one the handshake agreed on
   * @param latencyMillis the latency agreed for this direction (the receiver's TSBPD delay)
   * @param capacity the most packets kept unacknowledged
   */
  public SrtSender(int initialSequence, int peerSocketId, long startMicros, int latencyMillis, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity " + capacity);
    }
    this.oldest = initialSequence & SeqNo.MAX;
    this.next = oldest;
    this.peerSocketId = peerSocketId;
    this.startMicros = startMicros;
    this.latencyMicros = latencyMillis * 1000L;
    this.dropAfterMicros = Math.max(latencyMicros, MIN_DROP_MICROS) + DROP_SLACK_MICROS;
    this.capacity = capacity;
    this.payloads = new ByteBuf[capacity];
    this.timestamps = new int[capacity];
    this.messageNumbers = new int[capacity];
    this.sentMicros = new long[capacity];
    this.resentMicros = new long[capacity];
  }

  /** The header timestamp of a packet sent at {@code nowMicros}: microseconds since the start, wrapping. */
  public int timestamp(long nowMicros) {
    return (int) (nowMicros - startMicros);
  }

  /** Whether {@link #capacity} packets wait for their acknowledgement: the next payload must wait. */
  public boolean full() {
    return inFlight() >= capacity;
  }

  /** Packets sent and not yet acknowledged nor given up on. */
  public int inFlight() {
    return SeqNo.offset(oldest, next);
  }

  /** Payload bytes sent and not yet acknowledged nor given up on. */
  public long unackedBytes() {
    return unackedBytes;
  }

  public Stats stats() {
    return new Stats(sentPackets, resentPackets, droppedPackets);
  }

  /**
   * Numbers {@code payload} and keeps it, taking over the caller's reference; returns the packet to send now,
   * whose payload is that buffer (valid until it is acknowledged or given up on).
   *
   * @throws IllegalStateException when {@link #full}
   */
  public DataPacket send(ByteBuf payload, long nowMicros) {
    if (full()) {
      throw new IllegalStateException("the send buffer is full");
    }
    int slot = slot(next);
    payloads[slot] = payload;
    timestamps[slot] = timestamp(nowMicros);
    messageNumbers[slot] = messageNumber;
    sentMicros[slot] = nowMicros;
    resentMicros[slot] = NEVER;
    unackedBytes += payload.readableBytes();
    DataPacket packet = packet(next, false);
    next = SeqNo.next(next);
    messageNumber = messageNumber == DataPacket.MAX_MESSAGE_NUMBER ? 1 : messageNumber + 1;
    sentPackets++;
    return packet;
  }

  /**
   * An ACK (§3.2.4): what it acknowledges is released. Returns the ACKACK that a full or small ACK asks for
   * (§3.2.8, so the peer measures the round trip), or null for a light one.
   */
  public SrtPacket.AckAck onAck(Ack ack, long nowMicros) {
    int upTo = ack.lastAcknowledgedPlusOne();
    // An ACK of what was never sent is ignored; one of what is released already changes nothing.
    if (SeqNo.offset(upTo, next) >= 0) {
      while (SeqNo.offset(oldest, upTo) > 0) {
        releaseOldest();
      }
    }
    if (ack.form() == Ack.Form.LIGHT) {
      return null;
    }
    if (ack.rttMicros() > 0) {
      rttMicros = ack.rttMicros();
      rttVarianceMicros = Math.max(0, ack.rttVarianceMicros());
      rttMeasured |= rttMicros != INITIAL_RTT_MICROS || rttVarianceMicros != INITIAL_RTT_MICROS / 2;
    }
    return new SrtPacket.AckAck(timestamp(nowMicros), peerSocketId, ack.ackNumber());
  }

  /**
   * A loss report (§3.2.5): every packet it names that is kept goes again, with the retransmitted flag; the
   * ranges already given up on are told with a drop request each (libsrt's answer to such a report), so that
   * the receiver stops asking. Sequence numbers never sent are ignored.
   */
  public Resend onNak(Nak nak, long nowMicros) {
    List<DataPacket> again = new ArrayList<>();
    List<SrtPacket.DropRequest> dropped = new ArrayList<>();
    for (SeqRange range : nak.ranges()) {
      int from = range.from();
      int to = range.to();
      if (SeqNo.offset(from, next) <= 0) {
        continue; // not sent yet: a confused or forged report
      }
      if (SeqNo.offset(to, next) <= 0) {
        to = SeqNo.add(next, -1);
      }
      if (SeqNo.offset(oldest, from) < 0) {
        int goneTo = SeqNo.offset(oldest, to) < 0 ? to : SeqNo.add(oldest, -1);
        dropped.add(new SrtPacket.DropRequest(timestamp(nowMicros), peerSocketId, 0, from, goneTo));
        from = oldest;
        if (SeqNo.offset(from, to) < 0) {
          continue;
        }
      }
      for (int seq = from; ; seq = SeqNo.next(seq)) {
        again.add(packet(seq, true));
        resentMicros[slot(seq)] = nowMicros;
        if (seq == to) {
          break;
        }
      }
    }
    resentPackets += again.size();
    return new Resend(again, dropped);
  }

  /**
   * The packets to send again because they stayed unacknowledged: a receiver finds a loss only when a later
   * packet arrives, so the last packets before a pause or the stream's end would never be reported lost; and a
   * hole whose loss report was lost waits for the next, which Debian's libsrt 1.5.1 was seen not to send within
   * 66 ms (its round trip measured at 4 ms) nor within 116 ms before it had measured one: the receiver of a 120
   * ms latency gave the packet up first.
   *
   * <p>A packet goes again once it is half the latency old, and again each sixth of the latency after its last
   * resend (for a loss report or its age; at least the round trip and two ACK periods, the soonest the last
   * try's ACK could come) while it is younger than the latency, after which the receiver has given it up: three
   * tries at a 120 ms latency, each lost like any other, with room for a node or caller stalled for a few tens of
   * milliseconds. Half the latency rather than libsrt's timeout (RTT + 4 RTTVar + two ACK periods) for the first:
   * a caller on a busy machine acknowledges late, and with 20 callers on 2 cores a wait of at most 40 ms sent
   * 2802 packets again for nothing in {@code bench/srt-play 4 20}, half the latency none. When the round trip
   * leaves less than that, libsrt's timeout, at most the latency less half the round trip; when the measured
   * round trip is half the latency or more, libsrt's timeout alone. Never under two ACK periods. At most
   * {@value #MAX_TAIL_RESEND} packets per call, the oldest, of the oldest {@value #MAX_TAIL_SCAN} kept.
   */
  public List<DataPacket> resendUnacknowledged(long nowMicros) {
    long retransmission = rttMicros + 4L * rttVarianceMicros + DROP_SLACK_MICROS;
    long half = latencyMicros / 2;
    long first = rttMeasured && rttMicros >= half ? retransmission
        : Math.max(half, Math.min(retransmission, latencyMicros - rttMicros / 2));
    first = Math.max(first, DROP_SLACK_MICROS);
    long again = Math.max(latencyMicros / 6, (rttMeasured ? rttMicros : 0) + DROP_SLACK_MICROS);
    if (inFlight() == 0 || nowMicros - sentMicros[oldestSlot] < first) {
      return List.of();
    }
    List<DataPacket> packets = new ArrayList<>();
    int scanned = Math.min(inFlight(), MAX_TAIL_SCAN);
    for (int i = 0, seq = oldest; i < scanned && packets.size() < MAX_TAIL_RESEND; i++, seq = SeqNo.next(seq)) {
      int slot = slot(seq);
      long age = nowMicros - sentMicros[slot];
      if (age < first) {
        break;
      }
      if (age < latencyMicros && (resentMicros[slot] == NEVER || nowMicros - resentMicros[slot] >= again)) {
        packets.add(packet(seq, true));
        resentMicros[slot] = nowMicros;
      }
    }
    resentPackets += packets.size();
    return packets;
  }

  /** Gives up on the packets that waited too long for their acknowledgement; returns how many. */
  public int dropTooLate(long nowMicros) {
    int dropped = 0;
    while (inFlight() > 0 && nowMicros - sentMicros[oldestSlot] > dropAfterMicros) {
      releaseOldest();
      dropped++;
    }
    droppedPackets += dropped;
    return dropped;
  }

  /**
   * Gives up on the oldest packet kept, to make room for a new one (counted as dropped): a caller that
   * acknowledges nothing for {@code capacity} packets loses what it had not acknowledged, oldest first.
   */
  public void dropOldest() {
    if (inFlight() > 0) {
      releaseOldest();
      droppedPackets++;
    }
  }

  /** Releases every packet kept; nothing is sent after. */
  public void close() {
    while (inFlight() > 0) {
      releaseOldest();
    }
  }

  private DataPacket packet(int seq, boolean again) {
    int slot = slot(seq);
    return new DataPacket(seq, DataPacket.POSITION_SOLO, false, 0, again, messageNumbers[slot], timestamps[slot],
        peerSocketId, payloads[slot]);
  }

  private void releaseOldest() {
    unackedBytes -= payloads[oldestSlot].readableBytes();
    payloads[oldestSlot].release();
    payloads[oldestSlot] = null;
    oldest = SeqNo.next(oldest);
    oldestSlot = oldestSlot + 1 == capacity ? 0 : oldestSlot + 1;
  }

  /** The slot of a kept sequence number. */
  private int slot(int seq) {
    return (oldestSlot + SeqNo.offset(oldest, seq)) % capacity;
  }
}
