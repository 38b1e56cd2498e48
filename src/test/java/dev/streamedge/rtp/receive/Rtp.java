package dev.streamedge.rtp.receive;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
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

  /**
   * What ffmpeg 8.0.1 sent a fake RTSP server (it answered 200 to OPTIONS, ANNOUNCE, SETUP and RECORD) after its
   * RECORD, in {@code ffmpeg/<name>.rtp}: the interleaved RTP (channel 0) and RTCP (channel 1) of {@code ffmpeg -i
   * <file> -c copy -f rtsp -rtsp_transport tcp [-pkt_size N] rtsp://...}, up to its TEARDOWN; the ANNOUNCEs' bodies
   * are {@code <name>.sdp}. What was sent is beside, as {@code ffmpeg -c copy} writes it out of the same file:
   * {@code h264.h264} (Annex B of an MPEG-TS of libx264, testsrc2 160x120, 5 frames, {@code -g 3 -bf 2}, sent with
   * {@code -pkt_size 400}), {@code hevc.h265} (libx265 likewise, keyint 3) and {@code aac.adts} (ADTS of an M4A of
   * ffmpeg's AAC encoder, 0.3 s of a sine, sent as it is and, for {@code aac-fragmented}, with {@code -pkt_size
   * 100}).
   *
   * @return the RTP packets, in the order they came
   */
  static List<RtpPacket> recorded(String name) throws IOException, RtpFormatException {
    ByteBuf in = Unpooled.wrappedBuffer(resource(name + ".rtp"));
    List<RtpPacket> packets = new ArrayList<>();
    while (in.isReadable() && in.getUnsignedByte(in.readerIndex()) == '$') {
      in.skipBytes(1);
      int channel = in.readUnsignedByte();
      ByteBuf packet = in.readSlice(in.readUnsignedShort());
      if (channel == 0) {
        packets.add(RtpPacket.parse(packet));
      }
    }
    return packets;
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = Rtp.class.getResourceAsStream("ffmpeg/" + name)) {
      if (in == null) {
        throw new IOException("no resource ffmpeg/" + name);
      }
      return in.readAllBytes();
    }
  }

  /** The NAL units of an Annex B byte stream, as hex: split at each start code of 3 or 4 bytes. */
  static List<String> nalUnits(byte[] annexB) {
    List<String> units = new ArrayList<>();
    int start = -1;
    for (int i = 0; i + 3 <= annexB.length; i++) {
      if (annexB[i] == 0 && annexB[i + 1] == 0 && annexB[i + 2] == 1) {
        if (start >= 0) {
          units.add(HexFormat.of().formatHex(annexB, start, i > start && annexB[i - 1] == 0 ? i - 1 : i));
        }
        start = i + 3;
        i += 2;
      }
    }
    if (start >= 0) {
      units.add(HexFormat.of().formatHex(annexB, start, annexB.length));
    }
    return units;
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
