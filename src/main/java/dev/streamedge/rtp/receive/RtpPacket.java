package dev.streamedge.rtp.receive;

import io.netty.buffer.ByteBuf;

/**
 * One RTP packet (RFC 3550 §5.1) as a depacketizer needs it: the fields of its fixed header and its payload, the
 * CSRC list, header extension and padding taken off.
 *
 * @param payloadType 0..127
 * @param marker the M bit: for video, the last packet of an access unit
 * @param sequence 0..65535, wrapping
 * @param timestamp unsigned 32 bits
 * @param ssrc unsigned 32 bits
 * @param payload a slice of the parsed buffer (no copy): valid as long as that buffer is, and never released
 *     on its own
 */
public record RtpPacket(int payloadType, boolean marker, int sequence, long timestamp, long ssrc, ByteBuf payload) {

  /** The fixed header: V, P, X, CC, M, PT, sequence number, timestamp, SSRC. */
  static final int HEADER_LENGTH = 12;

  /**
   * Reads the readable bytes of {@code packet} as one RTP packet, leaving its indexes where they were.
   *
   * @throws RtpFormatException when the version is not 2 (§5.1), or the CSRC list (§5.1), the header extension
   *     (§5.3.1) or the padding (P bit: the last byte counts the padding bytes, itself included) does not fit in
   *     the packet
   */
  public static RtpPacket parse(ByteBuf packet) throws RtpFormatException {
    int start = packet.readerIndex();
    int length = packet.readableBytes();
    if (length < HEADER_LENGTH) {
      throw new RtpFormatException("RTP packet of " + length + " bytes, shorter than the 12-byte header");
    }
    int first = packet.getUnsignedByte(start);
    if (first >> 6 != 2) {
      throw new RtpFormatException("RTP version " + (first >> 6) + ", not 2");
    }
    int header = HEADER_LENGTH + 4 * (first & 0x0F);
    if (header > length) {
      throw new RtpFormatException((first & 0x0F) + " CSRCs in an RTP packet of " + length + " bytes");
    }
    if ((first & 0x10) != 0) {
      // defined by profile (16 bits), length in 32-bit words (16 bits), then the extension itself.
      if (header + 4 > length) {
        throw new RtpFormatException("RTP header extension past the end of a packet of " + length + " bytes");
      }
      header += 4 + 4 * packet.getUnsignedShort(start + header + 2);
      if (header > length) {
        throw new RtpFormatException("RTP header extension of " + (header - HEADER_LENGTH) + " bytes with the"
            + " CSRCs, in a packet of " + length + " bytes");
      }
    }
    int end = length;
    if ((first & 0x20) != 0) {
      int padding = packet.getUnsignedByte(start + length - 1);
      if (padding == 0 || padding > length - header) {
        throw new RtpFormatException("RTP padding of " + padding + " bytes after a header of " + header
            + " in a packet of " + length + " bytes");
      }
      end -= padding;
    }
    int second = packet.getUnsignedByte(start + 1);
    return new RtpPacket(second & 0x7F, (second & 0x80) != 0, packet.getUnsignedShort(start + 2),
        packet.getUnsignedInt(start + 4), packet.getUnsignedInt(start + 8), packet.slice(start + header, end - header));
  }
}
