package dev.streamedge.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The frames of an ADTS file (ISO/IEC 14496-3 §1.A.2.2: the 13-bit frame_length of each header), for comparing. */
public final class AdtsFrames {

  private AdtsFrames() {
  }

  public static List<byte[]> split(byte[] adts) {
    List<byte[]> frames = new ArrayList<>();
    int at = 0;
    while (at + 7 <= adts.length) {
      int length = (adts[at + 3] & 0x03) << 11 | (adts[at + 4] & 0xFF) << 3 | (adts[at + 5] & 0xFF) >> 5;
      if (length < 7 || at + length > adts.length) {
        throw new AssertionError("no whole ADTS frame at byte " + at);
      }
      frames.add(Arrays.copyOfRange(adts, at, at + length));
      at += length;
    }
    return frames;
  }
}
