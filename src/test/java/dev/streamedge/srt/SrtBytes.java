package dev.streamedge.srt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;

/** Hex in tests: spaces and line breaks ignored. */
final class SrtBytes {

  private SrtBytes() {
  }

  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
  }

  static ByteBuf buf(String hex) {
    return Unpooled.wrappedBuffer(hex(hex));
  }

  static String hex(ByteBuf buf) {
    return ByteBufUtil.hexDump(buf);
  }

  static String encode(SrtPacket packet) {
    ByteBuf out = Unpooled.buffer();
    packet.encodeTo(out);
    return hex(out);
  }

  static String normalize(String hex) {
    return HexFormat.of().formatHex(hex(hex));
  }
}
