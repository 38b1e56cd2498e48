package dev.streamedge.rtp.receive;

/**
 * What an MP4A-LATM track's {@code config} (RFC 6416 §6.1, a StreamMuxConfig of ISO/IEC 14496-3 §1.7.3.1 in hex,
 * with {@code cpresent=0}) says: the AudioSpecificConfig it carries, copied out byte-aligned for FLV's AAC sequence
 * header, and the number of frames each AudioMuxElement holds. Only what encoders send is read: audioMuxVersion 0,
 * one program of one layer, frameLengthType 0 (AAC frames of any length), AAC with a channel configuration (no
 * program config element), SBR and PS signalled explicitly or by a sync extension; anything else is refused.
 *
 * @param audioSpecificConfig the AudioSpecificConfig, zero bits after its end up to a byte
 * @param framesPerElement numSubFrames + 1
 */
public record LatmConfig(byte[] audioSpecificConfig, int framesPerElement) {

  private static final int AOT_SBR = 5;
  private static final int AOT_PS = 29;
  private static final int AOT_ESCAPE = 31;
  private static final int FREQUENCY_ESCAPE = 15;
  private static final int SYNC_EXTENSION = 0x2B7;
  private static final int PS_SYNC_EXTENSION = 0x548;

  /** Reads a StreamMuxConfig given as hex, as the fmtp's {@code config} is. */
  public static LatmConfig parse(String hex) throws RtpFormatException {
    if (hex == null || hex.isEmpty() || hex.length() % 2 != 0 || hex.length() > 128
        || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new RtpFormatException("MP4A-LATM config " + (hex == null ? "absent" : "'" + hex + "'") + " is not hex");
    }
    byte[] bytes = new byte[hex.length() / 2];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) Integer.parseInt(hex, 2 * i, 2 * i + 2, 16);
    }
    Bits in = new Bits(bytes);
    if (in.read(1) != 0) {
      throw new RtpFormatException("MP4A-LATM audioMuxVersion 1 is not read");
    }
    in.read(1); // allStreamsSameTimeFraming
    int subFrames = in.read(6);
    if (in.read(4) != 0 || in.read(3) != 0) {
      throw new RtpFormatException("MP4A-LATM with more than one program or layer is not read");
    }
    int start = in.position();
    audioSpecificConfig(in);
    int end = in.position();
    if (in.read(3) != 0) {
      throw new RtpFormatException("MP4A-LATM frameLengthType other than 0 is not read");
    }
    return new LatmConfig(in.copy(start, end), subFrames + 1);
  }

  /** Walks an AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1) of AAC, with SBR/PS, to its end. */
  private static void audioSpecificConfig(Bits in) throws RtpFormatException {
    int type = objectType(in);
    frequency(in);
    int channels = in.read(4);
    if (type == AOT_SBR || type == AOT_PS) {
      frequency(in); // extensionSamplingFrequencyIndex
      type = objectType(in);
    }
    if (type != 1 && type != 2 && type != 3 && type != 4) {
      throw new RtpFormatException("MP4A-LATM audio object type " + type + " is not AAC");
    }
    if (channels == 0) {
      throw new RtpFormatException("MP4A-LATM with a program config element (channel configuration 0) is not read");
    }
    // GASpecificConfig (§4.4.1): frameLengthFlag, dependsOnCoreCoder (then a 14-bit delay), extensionFlag.
    in.read(1);
    if (in.read(1) == 1) {
      in.read(14);
    }
    if (in.read(1) == 1) {
      throw new RtpFormatException("MP4A-LATM GASpecificConfig with an extension is not read");
    }
    // Backward-compatible SBR signalling (§1.6.2.1, syncExtensionType 0x2B7), as GStreamer's avenc_aac writes it.
    if (in.left() >= 16 && in.peek(11) == SYNC_EXTENSION) {
      in.read(11);
      if (objectType(in) == AOT_SBR && in.read(1) == 1) {
        frequency(in);
        if (in.left() >= 12 && in.peek(11) == PS_SYNC_EXTENSION) {
          in.read(12); // the PS sync word and psPresentFlag
        }
      }
    }
  }

  private static int objectType(Bits in) throws RtpFormatException {
    int type = in.read(5);
    return type == AOT_ESCAPE ? 32 + in.read(6) : type;
  }

  private static void frequency(Bits in) throws RtpFormatException {
    if (in.read(4) == FREQUENCY_ESCAPE) {
      in.read(24);
    }
  }

  /** Big-endian bits of a byte array. */
  private static final class Bits {
    private final byte[] data;
    private int position;

    Bits(byte[] data) {
      this.data = data;
    }

    int position() {
      return position;
    }

    int left() {
      return data.length * 8 - position;
    }

    int peek(int count) throws RtpFormatException {
      int at = position;
      int value = read(count);
      position = at;
      return value;
    }

    int read(int count) throws RtpFormatException {
      if (position + count > data.length * 8) {
        throw new RtpFormatException("MP4A-LATM config ends early");
      }
      int value = 0;
      for (int i = 0; i < count; i++, position++) {
        value = value << 1 | (data[position >> 3] >> (7 - (position & 7)) & 1);
      }
      return value;
    }

    /** Bits [from, to) as bytes, zero-padded at the end. */
    byte[] copy(int from, int to) {
      byte[] out = new byte[(to - from + 7) / 8];
      for (int bit = from; bit < to; bit++) {
        if ((data[bit >> 3] >> (7 - (bit & 7)) & 1) == 1) {
          int at = bit - from;
          out[at >> 3] |= (byte) (0x80 >> (at & 7));
        }
      }
      return out;
    }
  }
}
