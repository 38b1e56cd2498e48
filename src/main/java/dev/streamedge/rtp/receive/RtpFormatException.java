package dev.streamedge.rtp.receive;

/**
 * Bytes a publisher sent are no RTP packet (RFC 3550 §5.1) or no session description (RFC 4566) this package can
 * read: the only failure of {@link RtpPacket#parse} and {@link SdpDescription#parse}. The depacketizers never
 * throw it: they drop what they cannot read and count it.
 */
public final class RtpFormatException extends Exception {

  public RtpFormatException(String message) {
    // No stack trace: a publisher can send one a packet, and the message says all there is to know.
    super(message, null, false, false);
  }
}
