package dev.streamedge.rtp;

import dev.streamedge.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Where the NAL units of one access unit are in its length-prefixed form (ISO/IEC 14496-15 §5.3.4.2 and
 * §8.3.2, as FLV and Enhanced RTMP carry them), all checked before anything is written.
 */
final class NalUnits {

  private NalUnits() {
  }

  /**
   * The absolute index and the length of every NAL unit in the readable bytes of {@code data}, which is left
   * untouched: {offset0, length0, offset1, length1, ...}. Empty NAL units are included with length 0.
   *
   * @param minLength the shortest NAL unit allowed besides an empty one (its header)
   * @throws MediaFormatException when a length prefix or a NAL unit runs past the end, or a NAL unit is
   *     shorter than its header
   */
  static int[] split(ByteBuf data, int lengthSize, int minLength, String codec) throws MediaFormatException {
    if (lengthSize < 1 || lengthSize > 4) {
      throw new MediaFormatException(codec + " NAL length size " + lengthSize);
    }
    int[] units = new int[16];
    int count = 0;
    int at = data.readerIndex();
    int end = data.writerIndex();
    while (at < end) {
      if (end - at < lengthSize) {
        throw new MediaFormatException(codec + " NAL length prefix truncated: " + (end - at) + " of "
            + lengthSize + " bytes");
      }
      long length = 0;
      for (int i = 0; i < lengthSize; i++) {
        length = length << 8 | data.getUnsignedByte(at + i);
      }
      at += lengthSize;
      if (length > end - at) {
        throw new MediaFormatException(codec + " NAL unit of " + length + " bytes, " + (end - at) + " left");
      }
      if (length != 0 && length < minLength) {
        throw new MediaFormatException(codec + " NAL unit of " + length + " bytes, shorter than its header");
      }
      if (count + 2 > units.length) {
        units = Arrays.copyOf(units, units.length * 2);
      }
      units[count++] = at;
      units[count++] = (int) length;
      at += (int) length;
    }
    return Arrays.copyOf(units, count);
  }
}
