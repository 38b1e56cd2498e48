package dev.streamedge.media.codec;

import dev.streamedge.media.MediaFormatException;
import java.util.Arrays;

/**
 * Reads bits most significant first from an RBSP (emulation prevention bytes already removed),
 * including the exp-Golomb codes of ITU-T H.264 §9.1. Every read past the end is a
 * MediaFormatException.
 */
final class BitReader {

  /** ue(v) with more leading zeros than this cannot fit 32 bits and is never valid in an SPS. */
  private static final int MAX_LEADING_ZEROS = 31;

  private final byte[] data;
  private long position;

  BitReader(byte[] data) {
    this.data = data;
  }

  int bit() throws MediaFormatException {
    if (position >= (long) data.length * 8) {
      throw new MediaFormatException("bitstream truncated after " + data.length + " bytes");
    }
    int value = (data[(int) (position >>> 3)] >>> (7 - (int) (position & 7))) & 1;
    position++;
    return value;
  }

  int bits(int count) throws MediaFormatException {
    int value = 0;
    for (int i = 0; i < count; i++) {
      value = value << 1 | bit();
    }
    return value;
  }

  void skip(int count) throws MediaFormatException {
    bits(count);
  }

  /** ue(v), §9.1, for the fields whose range fits an int (all but a few HRD fields). */
  int unsigned() throws MediaFormatException {
    long value = unsignedLong();
    if (value > Integer.MAX_VALUE) {
      throw new MediaFormatException("exp-Golomb value " + value + " out of range");
    }
    return (int) value;
  }

  /** ue(v) up to 2^32 - 2, the range of bit_rate_value_minus1 and cpb_size_value_minus1 (§E.2.2). */
  long unsignedLong() throws MediaFormatException {
    int zeros = 0;
    while (bit() == 0) {
      if (++zeros > MAX_LEADING_ZEROS) {
        throw new MediaFormatException("exp-Golomb code longer than 32 bits");
      }
    }
    return (1L << zeros) - 1 + Integer.toUnsignedLong(bits(zeros));
  }

  /** se(v), §9.1.1. */
  int signed() throws MediaFormatException {
    long code = unsigned();
    return (int) ((code & 1) == 1 ? (code + 1) / 2 : -(code / 2));
  }

  /** Removes emulation_prevention_three_byte (0x000003 → 0x0000), §7.4.1. */
  static byte[] unescape(byte[] nal) {
    byte[] out = new byte[nal.length];
    int length = 0;
    int zeros = 0;
    for (byte b : nal) {
      if (zeros >= 2 && b == 3) {
        zeros = 0;
        continue;
      }
      zeros = b == 0 ? zeros + 1 : 0;
      out[length++] = b;
    }
    return Arrays.copyOf(out, length);
  }
}
