package dev.streamedge.srt;

import io.netty.buffer.ByteBuf;

/**
 * ACK (§3.2.4). A full ACK carries all fields and an ACK number the peer answers with ACKACK; a
 * light ACK (4 bytes, ACK number 0) only {@code lastAcknowledgedPlusOne}; a small ACK (16 bytes) adds
 * RTT, RTT variance and available buffer. Fields a form does not carry are 0.
 *
 * @param ackNumber the type-specific field: the full ACK's number, 0 in light and small ACKs
 * @param lastAcknowledgedPlusOne the first sequence number not received (all before it were)
 * @param packetsReceivingRate packets per second
 * @param estimatedLinkCapacity packets per second
 * @param receivingRateBytes bytes per second
 */
public record Ack(int timestamp, int destinationSocket, Form form, int ackNumber,
    int lastAcknowledgedPlusOne, int rttMicros, int rttVarianceMicros, int availableBufferPackets,
    int packetsReceivingRate, int estimatedLinkCapacity, int receivingRateBytes)
    implements SrtPacket {

  /** Which ACK, by its control information length (§3.2.4; libsrt's ACKD_TOTAL_SIZE_*). */
  public enum Form {
    /** 1 word. */
    LIGHT(1),
    /** 4 words. */
    SMALL(4),
    /** 7 words (libsrt since 1.0.1; 6-word UDT ACKs decode as full with no byte rate). */
    FULL(7);

    private final int words;

    Form(int words) {
      this.words = words;
    }

    /** The control information length this encoder writes, in bytes. */
    public int length() {
      return words * 4;
    }
  }

  public Ack {
    if (form == null) {
      throw new IllegalArgumentException("no form");
    }
  }

  /** A light ACK (§3.2.4: sent for every 64 packets at high rates). */
  public static Ack light(int timestamp, int destinationSocket, int lastAcknowledgedPlusOne) {
    return new Ack(timestamp, destinationSocket, Form.LIGHT, 0, lastAcknowledgedPlusOne, 0, 0, 0, 0,
        0, 0);
  }

  @Override
  public void encodeTo(ByteBuf out) {
    SrtEncoder.controlHeader(out, TYPE_ACK, 0, ackNumber, timestamp, destinationSocket);
    out.writeInt(lastAcknowledgedPlusOne);
    if (form == Form.LIGHT) {
      return;
    }
    out.writeInt(rttMicros);
    out.writeInt(rttVarianceMicros);
    out.writeInt(availableBufferPackets);
    if (form == Form.SMALL) {
      return;
    }
    out.writeInt(packetsReceivingRate);
    out.writeInt(estimatedLinkCapacity);
    out.writeInt(receivingRateBytes);
  }
}
