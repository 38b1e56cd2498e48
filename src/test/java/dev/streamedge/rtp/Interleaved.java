package dev.streamedge.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Reads interleaved RTP back in tests: the fields of each packet, read here independently of the writer. */
record Interleaved(int channel, boolean marker, int payloadType, int sequence, long timestamp, long ssrc,
    String payload) {

  static List<Interleaved> read(ByteBuf out) {
    List<Interleaved> packets = new ArrayList<>();
    ByteBuf in = out.duplicate();
    while (in.isReadable()) {
      if (in.readUnsignedByte() != '$') {
        throw new AssertionError("no $ at " + (in.readerIndex() - 1));
      }
      int channel = in.readUnsignedByte();
      int length = in.readUnsignedShort();
      ByteBuf packet = in.readSlice(length);
      int first = packet.readUnsignedByte();
      if (first != 0x80) {
        throw new AssertionError("first RTP byte " + first);
      }
      int second = packet.readUnsignedByte();
      packets.add(new Interleaved(channel, (second & 0x80) != 0, second & 0x7F, packet.readUnsignedShort(),
          packet.readUnsignedInt(), packet.readUnsignedInt(), ByteBufUtil.hexDump(packet)));
    }
    return packets;
  }

  static ByteBuf hex(String hex) {
    return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex.replace(" ", "")));
  }

  /** NAL units with 4-byte length prefixes. */
  static ByteBuf avcc(String... nalUnits) {
    StringBuilder hex = new StringBuilder();
    for (String nal : nalUnits) {
      hex.append(String.format("%08x", nal.length() / 2)).append(nal);
    }
    return hex(hex.toString());
  }
}
