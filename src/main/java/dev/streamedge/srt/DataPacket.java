package dev.streamedge.srt;

import io.netty.buffer.ByteBuf;

/**
 * A data packet (§3.1). {@code payload} is a slice of the datagram it was decoded from: neither
 * retained nor copied (see {@link SrtPacket#decode}). Equality compares the payload's readable
 * bytes.
 *
 * @param sequence the 31-bit packet sequence number
 * @param position PP, the packet's place in its message: {@link #POSITION_SOLO} for live streams
 * @param inOrder O, the message must be delivered in order
 * @param keyEncryption KK: 0 not encrypted, 1 even key, 2 odd key
 * @param retransmitted R, sent again (meaningful when the peer announced REXMITFLG)
 * @param messageNumber the 26-bit message number
 */
public record DataPacket(int sequence, int position, boolean inOrder, int keyEncryption,
    boolean retransmitted, int messageNumber, int timestamp, int destinationSocket, ByteBuf payload)
    implements SrtPacket {

  public static final int POSITION_MIDDLE = 0;
  public static final int POSITION_LAST = 1;
  public static final int POSITION_FIRST = 2;
  public static final int POSITION_SOLO = 3;
  /** The largest message number (26 bits). */
  public static final int MAX_MESSAGE_NUMBER = 0x03FFFFFF;

  public DataPacket {
    if ((sequence & ~SeqNo.MAX) != 0 || (position & ~3) != 0 || (keyEncryption & ~3) != 0
        || (messageNumber & ~MAX_MESSAGE_NUMBER) != 0) {
      throw new IllegalArgumentException("field out of range");
    }
  }

  @Override
  public void encodeTo(ByteBuf out) {
    out.writeInt(sequence);
    out.writeInt(position << 30 | (inOrder ? 1 << 29 : 0) | keyEncryption << 27
        | (retransmitted ? 1 << 26 : 0) | messageNumber);
    out.writeInt(timestamp);
    out.writeInt(destinationSocket);
    out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
  }
}
