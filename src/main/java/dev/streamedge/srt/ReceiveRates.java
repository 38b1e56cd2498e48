package dev.streamedge.srt;

/**
 * What a receiver's full ACK reports of the incoming stream (§3.2.4): packets and bytes per second over
 * half-second windows, and the link capacity from packet pairs (libsrt's {@code CUDT::processData}: packets 16n
 * and 16n+1 are sent back to back, and the gap between their arrivals gives the capacity). Pure; one receiver's.
 */
final class ReceiveRates {

  private static final long WINDOW_MICROS = 500_000;
  /** libsrt's PUMASK_SEQNO_PROBE. */
  private static final int PROBE_MASK = 0xF;

  private long windowStartMicros = Long.MIN_VALUE;
  private int windowPackets;
  private long windowBytes;
  private int packetRate;
  private int byteRate;
  private int probeSequence = -1;
  private long probeMicros;
  private int linkCapacity;

  /** A packet of {@code bytes} arrived now; 0 bytes only closes a window that is due. */
  void measure(int bytes, long nowMicros) {
    if (windowStartMicros == Long.MIN_VALUE) {
      windowStartMicros = nowMicros;
    }
    long elapsed = nowMicros - windowStartMicros;
    if (elapsed >= WINDOW_MICROS) {
      packetRate = (int) Math.min(Integer.MAX_VALUE, windowPackets * 1_000_000L / elapsed);
      byteRate = (int) Math.min(Integer.MAX_VALUE, windowBytes * 1_000_000L / elapsed);
      windowStartMicros = nowMicros;
      windowPackets = 0;
      windowBytes = 0;
    }
    if (bytes > 0) {
      windowPackets++;
      windowBytes += bytes;
    }
  }

  /** The packet pair's part: packet {@code seq} arrived now. */
  void probe(int seq, boolean retransmitted, long nowMicros) {
    if (retransmitted) {
      probeSequence = -1;
    } else if ((seq & PROBE_MASK) == 0) {
      probeSequence = seq;
      probeMicros = nowMicros;
    } else if (probeSequence >= 0 && seq == SeqNo.next(probeSequence)) {
      long gap = Math.max(1, nowMicros - probeMicros);
      int sample = (int) Math.min(Integer.MAX_VALUE, 1_000_000L / gap);
      linkCapacity = linkCapacity == 0 ? sample : (int) ((7L * linkCapacity + sample) / 8);
      probeSequence = -1;
    }
  }

  int packetRate() {
    return packetRate;
  }

  int byteRate() {
    return byteRate;
  }

  int linkCapacity() {
    return linkCapacity;
  }
}
