package dev.streamedge.rtmp.amf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;

/** Hex helpers for the AMF tests; whitespace in hex literals is ignored. */
final class AmfBytes {

  private AmfBytes() {}

  static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
  }

  static ByteBuf buf(String hex) {
    return Unpooled.wrappedBuffer(bytes(hex));
  }

  /** The readable bytes as lower-case hex separated by single spaces. */
  static String hex(ByteBuf buf) {
    return HexFormat.ofDelimiter(" ").formatHex(ByteBufUtil.getBytes(buf));
  }

  static String normalize(String hex) {
    return HexFormat.ofDelimiter(" ").formatHex(bytes(hex));
  }
}
