package dev.streamedge.rtp.receive;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Builds RTP packets for the receive tests, and reads back what our own packetizers write. */
final class Rtp {

  static final long SSRC = 0x11223344L;

  private Rtp() {
  }

  static ByteBuf hex(String hex) {
    return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex.replace(" ", "")));
  }

  static String hex(ByteBuf buf) {
    return ByteBufUtil.hexDump(buf);
  }

  /** The bytes of a plain RTP packet: V=2, no padding, extension or CSRC, payload type 96. */
  static String bytes(int sequence, long timestamp, boolean marker, String payload) {
    return String.format("80%02x%04x%08x%08x", (marker ? 0x80 : 0) | 96, sequence, timestamp, SSRC) + payload;
  }

  /** A plain RTP packet with {@code payload} (hex), read by {@link RtpPacket#parse}. */
  static RtpPacket packet(int sequence, long timestamp, boolean marker, String payload) {
    try {
      return RtpPacket.parse(hex(bytes(sequence, timestamp, marker, payload.replace(" ", ""))));
    } catch (RtpFormatException e) {
      throw new AssertionError(e);
    }
  }

  /** The RTP packets of interleaved frames ({@code $}, channel, 16-bit length, RFC 2326 §10.12), parsed. */
  static List<RtpPacket> interleaved(ByteBuf frames) {
    List<RtpPacket> packets = new ArrayList<>();
    ByteBuf in = frames.duplicate();
    while (in.isReadable()) {
      if (in.readUnsignedByte() != '$') {
        throw new AssertionError("no $ at " + (in.readerIndex() - 1));
      }
      in.skipBytes(1);
      try {
        packets.add(RtpPacket.parse(in.readSlice(in.readUnsignedShort())));
      } catch (RtpFormatException e) {
        throw new AssertionError(e);
      }
    }
    return packets;
  }

  /** NAL units with 4-byte length prefixes, as FLV carries them to our packetizers. */
  static ByteBuf avcc(List<byte[]> nalUnits) {
    ByteBuf out = Unpooled.buffer();
    for (byte[] nal : nalUnits) {
      out.writeInt(nal.length).writeBytes(nal);
    }
    return out;
  }

  /** NAL units in Annex B form, each behind 00 00 00 01, as hex. */
  static String annexB(List<byte[]> nalUnits) {
    StringBuilder hex = new StringBuilder();
    for (byte[] nal : nalUnits) {
      hex.append("00000001").append(HexFormat.of().formatHex(nal));
    }
    return hex.toString();
  }
}
