package dev.streamedge.hls.ts;

import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.codec.AvcConfig;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Turns one access unit from length-prefixed NAL units (ISO/IEC 14496-15 §5.3.4.2 and §8.3.2, as in FLV and
 * Enhanced RTMP) into the byte stream format of Annex B of ITU-T H.264 and H.265 that MPEG-TS carries: an
 * access unit delimiter first (ISO/IEC 13818-1 §2.14.1 for AVC; ffmpeg's TS muxer adds one to HEVC access units
 * too, and decoders of HEVC in TS look for it), then the parameter sets before a random access picture that
 * lacks them, so that a segment or a player starting there decodes on its own.
 */
final class AnnexB {

  private static final byte[] START_CODE = {0, 0, 0, 1};

  /** How the two codecs name their NAL units. */
  enum Codec {
    /** nal_unit_type in the low 5 bits of the one-byte header (H.264 §7.3.1). */
    H264(new byte[] {0x09, (byte) 0xF0}, 9),
    /** nal_unit_type in bits 1..6 of the two-byte header (H.265 §7.3.1.2). */
    HEVC(new byte[] {0x46, 0x01, 0x50}, 35);

    /** H.264: nal_unit_type 9, primary_pic_type 7; H.265: type 35, temporal id 0, pic_type 2; stop bit. */
    private final byte[] delimiter;
    private final int delimiterType;

    Codec(byte[] delimiter, int delimiterType) {
      this.delimiter = delimiter;
      this.delimiterType = delimiterType;
    }

    int type(int firstByte) {
      return this == H264 ? firstByte & 0x1F : firstByte >> 1 & 0x3F;
    }

    /** An IDR picture (H.264 type 5) or any IRAP picture (H.265 types 16 to 23). */
    boolean randomAccess(int type) {
      return this == H264 ? type == 5 : type >= 16 && type <= 23;
    }
  }

  private AnnexB() {
  }

  /** An H.264 access unit: the configuration's SPS and PPS before an IDR picture that lacks them. */
  static void write(ByteBuf out, ByteBuf avcc, AvcConfig config, boolean keyframe) throws MediaFormatException {
    write(out, avcc, Codec.H264, config.nalLengthSize(), config.sps(), config.pps(), keyframe);
  }

  /**
   * Appends the access unit to {@code out}. Delimiters in the input are dropped (ours comes first). Parameter sets
   * whose NAL type the access unit does not carry are added when {@code keyframe} is set or a random access
   * picture is present.
   *
   * @param first parameter sets written first (H.264's SPS; H.265's VPS, SPS and PPS)
   * @param second written after them (H.264's PPS)
   * @throws MediaFormatException when a length prefix points past the end; {@code out} is then unchanged
   */
  static void write(ByteBuf out, ByteBuf data, Codec codec, int lengthSize, List<byte[]> first, List<byte[]> second,
      boolean keyframe) throws MediaFormatException {
    boolean randomAccess = false;
    long typesPresent = 0;
    int offset = data.readerIndex();
    int end = data.writerIndex();
    while (offset < end) {
      int length = nalLength(data, offset, end, lengthSize);
      offset += lengthSize;
      if (length > 0) {
        int type = codec.type(data.getUnsignedByte(offset));
        randomAccess |= codec.randomAccess(type);
        typesPresent |= 1L << type;
      }
      offset += length;
    }
    writeNal(out, codec.delimiter);
    if (keyframe || randomAccess) {
      writeMissing(out, codec, first, typesPresent);
      writeMissing(out, codec, second, typesPresent);
    }
    offset = data.readerIndex();
    while (offset < end) {
      int length = nalLength(data, offset, end, lengthSize);
      offset += lengthSize;
      if (length > 0 && codec.type(data.getUnsignedByte(offset)) != codec.delimiterType) {
        out.writeBytes(START_CODE);
        out.writeBytes(data, offset, length);
      }
      offset += length;
    }
  }

  private static void writeMissing(ByteBuf out, Codec codec, List<byte[]> sets, long typesPresent) {
    for (int i = 0; i < sets.size(); i++) {
      byte[] set = sets.get(i);
      if (set.length > 0 && (typesPresent & 1L << codec.type(set[0] & 0xFF)) == 0) {
        writeNal(out, set);
      }
    }
  }

  private static int nalLength(ByteBuf data, int offset, int end, int lengthSize) throws MediaFormatException {
    if (end - offset < lengthSize) {
      throw new MediaFormatException("NAL length prefix truncated: " + (end - offset) + " of " + lengthSize + " bytes");
    }
    long length = switch (lengthSize) {
      case 1 -> data.getUnsignedByte(offset);
      case 2 -> data.getUnsignedShort(offset);
      default -> data.getUnsignedInt(offset);
    };
    if (length > end - offset - lengthSize) {
      throw new MediaFormatException("NAL unit of " + length + " bytes, only "
          + (end - offset - lengthSize) + " left in the access unit");
    }
    return (int) length;
  }

  private static void writeNal(ByteBuf out, byte[] nal) {
    out.writeBytes(START_CODE);
    out.writeBytes(nal);
  }
}
