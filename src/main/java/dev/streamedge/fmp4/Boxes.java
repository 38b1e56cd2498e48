package dev.streamedge.fmp4;

import io.netty.buffer.ByteBuf;

/**
 * Box framing (ISO/IEC 14496-12 §4.2): a 32-bit size that counts the whole box, a four-character
 * type, and for a full box a version byte and 24 bits of flags. Sizes are patched when a box ends, so
 * a box is written in one pass with no copy.
 */
final class Boxes {

  private Boxes() {
  }

  /** Starts a box; returns where it starts, for {@link #end}. */
  static int begin(ByteBuf out, String type) {
    int start = out.writerIndex();
    out.writeInt(0);
    writeType(out, type);
    return start;
  }

  /** Starts a full box (§4.2.2). */
  static int beginFull(ByteBuf out, String type, int version, int flags) {
    int start = begin(out, type);
    out.writeInt(version << 24 | flags & 0xFFFFFF);
    return start;
  }

  /** Ends the box started at {@code start}: writes its size. */
  static void end(ByteBuf out, int start) {
    out.setInt(start, out.writerIndex() - start);
  }

  static void writeType(ByteBuf out, String type) {
    for (int i = 0; i < 4; i++) {
      out.writeByte(type.charAt(i));
    }
  }

  /** The unity transformation matrix of {@code mvhd} and {@code tkhd} (§8.2.2.3), 16.16 and 2.30 fixed point. */
  static void writeUnityMatrix(ByteBuf out) {
    out.writeInt(0x00010000).writeInt(0).writeInt(0);
    out.writeInt(0).writeInt(0x00010000).writeInt(0);
    out.writeInt(0).writeInt(0).writeInt(0x40000000);
  }
}
