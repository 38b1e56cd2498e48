package dev.streamedge.rtp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * An RTCP compound packet of a sender (RFC 3550 §6.1): a sender report without report blocks (§6.4.1), then a
 * source description with the track's CNAME (§6.5.1), behind the interleaved header of RTSP over TCP (RFC 2326
 * §10.12) on the track's RTCP channel.
 */
public final class RtcpSenderReport {

  static final int TYPE_SR = 200;
  static final int TYPE_SDES = 202;
  static final int SDES_CNAME = 1;
  /** Seconds from 1900-01-01 (NTP's era 0) to 1970-01-01. */
  static final long NTP_UNIX_OFFSET = 2_208_988_800L;
  /** The SR without report blocks: header, SSRC, NTP timestamp (8), RTP timestamp, packet and octet counts. */
  private static final int SR_LENGTH = 28;

  private RtcpSenderReport() {
  }

  /**
   * @param ssrc the track's SSRC
   * @param ntpTime64 the wall clock time of the report in NTP's 64-bit format ({@link #ntpTime(long)})
   * @param rtpTimestamp the same instant on the track's RTP clock
   * @param packets the sender's packet count, modulo 2^32
   * @param octets the sender's payload octet count, modulo 2^32
   * @param cname the canonical name, at most 255 bytes in UTF-8 (cut there)
   */
  public static void write(ByteBuf out, int channel, long ssrc, long ntpTime64, long rtpTimestamp, long packets,
      long octets, String cname) {
    if (channel < 0 || channel > 0xFF) {
      throw new IllegalArgumentException("interleaved channel " + channel);
    }
    byte[] name = cname.getBytes(StandardCharsets.UTF_8);
    int nameLength = Math.min(name.length, 255);
    // SSRC, CNAME type and length, the name, at least one null octet ending the items, to 32 bits.
    int chunk = (4 + 2 + nameLength + 1 + 3) & ~3;
    int sdesLength = 4 + chunk;
    out.writeByte('$');
    out.writeByte(channel);
    out.writeShort(SR_LENGTH + sdesLength);
    out.writeByte(0x80); // V=2, P=0, RC=0
    out.writeByte(TYPE_SR);
    out.writeShort(SR_LENGTH / 4 - 1);
    out.writeInt((int) ssrc);
    out.writeLong(ntpTime64);
    out.writeInt((int) rtpTimestamp);
    out.writeInt((int) packets);
    out.writeInt((int) octets);
    out.writeByte(0x81); // V=2, P=0, SC=1
    out.writeByte(TYPE_SDES);
    out.writeShort(sdesLength / 4 - 1);
    out.writeInt((int) ssrc);
    out.writeByte(SDES_CNAME);
    out.writeByte(nameLength);
    out.writeBytes(name, 0, nameLength);
    out.writeZero(chunk - 4 - 2 - nameLength);
  }

  /**
   * Unix epoch milliseconds in NTP's 64-bit timestamp format (RFC 3550 §4): seconds since 1900 in the upper 32
   * bits (modulo 2^32, as NTP eras wrap), the fraction of a second in the lower.
   */
  public static long ntpTime(long unixMillis) {
    long seconds = Math.floorDiv(unixMillis, 1000) + NTP_UNIX_OFFSET;
    long fraction = (Math.floorMod(unixMillis, 1000L) << 32) / 1000;
    return seconds << 32 | fraction;
  }
}
