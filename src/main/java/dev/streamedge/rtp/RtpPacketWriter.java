package dev.streamedge.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Writes the RTP packets (RFC 3550 §5.1) of one track, each behind the interleaved header of RTSP over TCP
 * (RFC 2326 §10.12: {@code $}, the channel, the packet's length in 16 bits). Keeps what numbers the track's
 * packets: its SSRC, payload type and next sequence number (16 bits, wrapping), and what its sender reports count
 * (packets and payload octets sent, the last timestamp). Not thread-safe; one per track and player.
 */
public final class RtpPacketWriter {

  /** The fixed RTP header without CSRCs. */
  public static final int HEADER_LENGTH = 12;
  /** {@code $}, channel, 16-bit length. */
  public static final int INTERLEAVED_HEADER_LENGTH = 4;
  /** The largest payload the interleaved length field can carry with the RTP header. */
  public static final int MAX_PAYLOAD = 0xFFFF - HEADER_LENGTH;

  private final int channel;
  private final int payloadType;
  private final long ssrc;
  private int nextSequence;
  private long packets;
  private long octets;
  private long lastTimestamp = -1;

  /**
   * @param channel the interleaved channel of the track's RTP, 0..255
   * @param payloadType 0..127
   * @param ssrc 32 bits, taken modulo 2^32
   * @param initialSequence the first packet's sequence number, taken modulo 2^16 (RFC 3550 §5.1: random)
   */
  public RtpPacketWriter(int channel, int payloadType, long ssrc, int initialSequence) {
    if (channel < 0 || channel > 0xFF) {
      throw new IllegalArgumentException("interleaved channel " + channel);
    }
    if (payloadType < 0 || payloadType > 0x7F) {
      throw new IllegalArgumentException("payload type " + payloadType);
    }
    this.channel = channel;
    this.payloadType = payloadType;
    this.ssrc = ssrc & 0xFFFF_FFFFL;
    this.nextSequence = initialSequence & 0xFFFF;
  }

  /**
   * Writes the interleaved header and the RTP header of a packet whose {@code payloadLength} bytes the caller
   * writes next, and counts the packet.
   *
   * @param timestamp taken modulo 2^32
   */
  public void writeHeader(ByteBuf out, boolean marker, long timestamp, int payloadLength) {
    if (payloadLength < 0 || payloadLength > MAX_PAYLOAD) {
      throw new IllegalArgumentException("RTP payload of " + payloadLength + " bytes");
    }
    out.writeByte('$');
    out.writeByte(channel);
    out.writeShort(HEADER_LENGTH + payloadLength);
    out.writeByte(0x80); // V=2, P=0, X=0, CC=0
    out.writeByte((marker ? 0x80 : 0) | payloadType);
    out.writeShort(nextSequence);
    out.writeInt((int) timestamp);
    out.writeInt((int) ssrc);
    nextSequence = (nextSequence + 1) & 0xFFFF;
    packets++;
    octets += payloadLength;
    lastTimestamp = timestamp & 0xFFFF_FFFFL;
  }

  /** Writes a whole packet: the headers, then the readable bytes of {@code payload}, which is left untouched. */
  public void write(ByteBuf out, boolean marker, long timestamp, ByteBuf payload) {
    writeHeader(out, marker, timestamp, payload.readableBytes());
    out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
  }

  public int channel() {
    return channel;
  }

  public int payloadType() {
    return payloadType;
  }

  /** 32 bits, unsigned. */
  public long ssrc() {
    return ssrc;
  }

  /** The sequence number of the next packet (RTSP's RTP-Info {@code seq} before the first one). */
  public int nextSequence() {
    return nextSequence;
  }

  /** Packets written: the sender's packet count of RTCP SR (RFC 3550 §6.4.1). */
  public long packets() {
    return packets;
  }

  /** Payload octets written, headers not counted: the sender's octet count of RTCP SR. */
  public long octets() {
    return octets;
  }

  /** The RTP timestamp of the last packet written, -1 before the first. */
  public long lastTimestamp() {
    return lastTimestamp;
  }
}
