package dev.streamedge.mpegts;

import io.netty.buffer.ByteBuf;

/**
 * The CRC of PSI sections (ISO/IEC 13818-1 Annex B): polynomial 0x04C11DB7, initial value
 * 0xFFFFFFFF, most significant bit first, no final XOR. A section including its CRC_32 sums to 0.
 */
public final class Crc32Mpeg2 {

  private static final int[] TABLE = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int crc = i << 24;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 0x8000_0000) != 0 ? crc << 1 ^ 0x04C1_1DB7 : crc << 1;
      }
      TABLE[i] = crc;
    }
  }

  private Crc32Mpeg2() {
  }

  /** The CRC of {@code length} bytes of {@code buf} from index {@code offset}; the reader index is untouched. */
  public static int compute(ByteBuf buf, int offset, int length) {
    int crc = 0xFFFF_FFFF;
    for (int i = offset; i < offset + length; i++) {
      crc = crc << 8 ^ TABLE[(crc >>> 24 ^ buf.getUnsignedByte(i)) & 0xFF];
    }
    return crc;
  }
}
