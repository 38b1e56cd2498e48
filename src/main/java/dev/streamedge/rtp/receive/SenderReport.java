package dev.streamedge.rtp.receive;

import io.netty.buffer.ByteBuf;

/**
 * What a publisher's RTCP sender report (RFC 3550 §6.4.1) says about its track's clock: the RTP timestamp that
 * goes with a wall-clock (NTP) time. The reports of one publisher share one wall clock, so they line its tracks
 * up with each other.
 *
 * @param ssrc the sender's SSRC
 * @param ntpMillis the NTP timestamp in milliseconds since the NTP epoch (only differences matter here)
 * @param rtpTimestamp the RTP timestamp of the same instant, unsigned 32 bits
 */
public record SenderReport(long ssrc, long ntpMillis, long rtpTimestamp) {

  private static final int PT_SR = 200;
  /** Header (4), SSRC (4), NTP (8), RTP timestamp (4), packet and octet counts (8). */
  private static final int SR_LENGTH = 28;

  /**
   * The sender report a compound RTCP packet starts with (§6.1: a compound packet begins with an SR or RR), or
   * null for anything else: receiver reports, other packet types, a version other than 2, too few bytes.
   */
  public static SenderReport parse(ByteBuf rtcp) {
    int at = rtcp.readerIndex();
    if (rtcp.readableBytes() < SR_LENGTH || (rtcp.getUnsignedByte(at) >> 6) != 2
        || rtcp.getUnsignedByte(at + 1) != PT_SR) {
      return null;
    }
    long seconds = rtcp.getUnsignedInt(at + 8);
    long fraction = rtcp.getUnsignedInt(at + 12);
    return new SenderReport(rtcp.getUnsignedInt(at + 4), seconds * 1000 + (fraction * 1000 >>> 32),
        rtcp.getUnsignedInt(at + 16));
  }
}
