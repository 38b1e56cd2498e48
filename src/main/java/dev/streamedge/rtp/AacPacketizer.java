package dev.streamedge.rtp;

import io.netty.buffer.ByteBuf;

/**
 * AAC in RTP (RFC 3640 §3.3.6, mode AAC-hbr): one raw access unit per packet behind an AU-headers-length of 16
 * bits and one AU-header (13 bits of size, 3 bits of index 0), marker bit set (§3.2.3.1: the packet ends an
 * access unit). The RTP clock is the sampling rate.
 */
public final class AacPacketizer {

  /** AU-headers-length and one 16-bit AU-header. */
  public static final int HEADER_LENGTH = 4;
  /** sizeLength 13. */
  public static final int MAX_FRAME = (1 << 13) - 1;

  private final RtpPacketWriter writer;
  private final int maxPayload;

  /** @param maxPayload the largest RTP payload written, in bytes, headers of RFC 3640 included */
  public AacPacketizer(RtpPacketWriter writer, int maxPayload) {
    if (maxPayload <= HEADER_LENGTH || maxPayload > RtpPacketWriter.MAX_PAYLOAD) {
      throw new IllegalArgumentException("max RTP payload " + maxPayload);
    }
    this.writer = writer;
    this.maxPayload = maxPayload;
  }

  public RtpPacketWriter writer() {
    return writer;
  }

  /**
   * Writes one raw AAC frame (no ADTS header) as a packet.
   *
   * @param rawFrame left untouched
   * @return false when the frame was skipped: empty, over 8191 bytes, or its payload over the maximum
   */
  public boolean frame(ByteBuf out, long rtpTimestamp, ByteBuf rawFrame) {
    int size = rawFrame.readableBytes();
    if (size == 0 || size > MAX_FRAME || HEADER_LENGTH + size > maxPayload) {
      return false;
    }
    writer.writeHeader(out, true, rtpTimestamp, HEADER_LENGTH + size);
    out.writeShort(16); // AU-headers-length in bits
    out.writeShort(size << 3); // AU-size, AU-index 0
    out.writeBytes(rawFrame, rawFrame.readerIndex(), size);
    return true;
  }
}
