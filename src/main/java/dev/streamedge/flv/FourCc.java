package dev.streamedge.flv;

import io.netty.buffer.ByteBuf;

/** Enhanced RTMP's FourCC codec names: four bytes read as ASCII. */
final class FourCc {

  /** The names HLS and the codec descriptions look for, shared so that a packet allocates none. */
  private static final String[] KNOWN = {"avc1", "hvc1", "av01", "vp09", "vp08", "Opus", "mp4a", "fLaC", "ac-3",
      "ec-3", ".mp3"};
  private static final int[] KNOWN_CODES = new int[KNOWN.length];

  static {
    for (int i = 0; i < KNOWN.length; i++) {
      String name = KNOWN[i];
      KNOWN_CODES[i] = name.charAt(0) << 24 | name.charAt(1) << 16 | name.charAt(2) << 8 | name.charAt(3);
    }
  }

  private FourCc() {
  }

  static String read(ByteBuf body, int index) {
    int code = body.getInt(index);
    for (int i = 0; i < KNOWN_CODES.length; i++) {
      if (KNOWN_CODES[i] == code) {
        return KNOWN[i];
      }
    }
    char[] chars = new char[4];
    for (int i = 0; i < 4; i++) {
      chars[i] = (char) body.getUnsignedByte(index + i);
    }
    return new String(chars);
  }
}
