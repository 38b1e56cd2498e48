package dev.streamedge.flv;

import io.netty.buffer.ByteBuf;

/** Enhanced RTMP's FourCC codec names: four bytes read as ASCII. */
final class FourCc {

  private FourCc() {
  }

  static String read(ByteBuf body, int index) {
    char[] chars = new char[4];
    for (int i = 0; i < 4; i++) {
      chars[i] = (char) body.getUnsignedByte(index + i);
    }
    return new String(chars);
  }
}
