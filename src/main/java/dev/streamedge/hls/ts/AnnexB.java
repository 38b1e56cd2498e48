package dev.streamedge.hls.ts;

import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.codec.AvcConfig;
import io.netty.buffer.ByteBuf;

/**
 * Turns one AVC access unit from length-prefixed NAL units (ISO/IEC 14496-15 §5.3.4.2, as in FLV)
 * into the byte stream format of ITU-T H.264 Annex B that MPEG-TS carries (ISO/IEC 13818-1
 * §2.14): an access unit delimiter first (every AVC access unit in a transport stream carries one,
 * §2.14.1), then SPS and PPS before an IDR picture that lacks them, so that every segment starting
 * there decodes on its own.
 */
final class AnnexB {

  private static final byte[] START_CODE = {0, 0, 0, 1};
  /** nal_unit_type 9, primary_pic_type 7 (any slice type), rbsp_stop_one_bit. */
  private static final byte[] ACCESS_UNIT_DELIMITER = {0x09, (byte) 0xF0};
  private static final int NAL_IDR = 5;
  private static final int NAL_SPS = 7;
  private static final int NAL_PPS = 8;
  private static final int NAL_AUD = 9;

  private AnnexB() {
  }

  /**
   * Appends the access unit to {@code out}. Delimiters in the input are dropped (ours comes first).
   * Parameter sets are added when {@code keyframe} is set or an IDR slice is present.
   *
   * @throws MediaFormatException when a length prefix points past the end; {@code out} is then unchanged
   */
  static void write(ByteBuf out, ByteBuf avcc, AvcConfig config, boolean keyframe) throws MediaFormatException {
    int lengthSize = config.nalLengthSize();
    boolean idr = false;
    boolean hasSps = false;
    boolean hasPps = false;
    int offset = avcc.readerIndex();
    int end = avcc.writerIndex();
    while (offset < end) {
      int length = nalLength(avcc, offset, end, lengthSize);
      offset += lengthSize;
      if (length > 0) {
        int type = avcc.getUnsignedByte(offset) & 0x1F;
        idr |= type == NAL_IDR;
        hasSps |= type == NAL_SPS;
        hasPps |= type == NAL_PPS;
      }
      offset += length;
    }
    writeNal(out, ACCESS_UNIT_DELIMITER);
    if (keyframe || idr) {
      if (!hasSps) {
        config.sps().forEach(sps -> writeNal(out, sps));
      }
      if (!hasPps) {
        config.pps().forEach(pps -> writeNal(out, pps));
      }
    }
    offset = avcc.readerIndex();
    while (offset < end) {
      int length = nalLength(avcc, offset, end, lengthSize);
      offset += lengthSize;
      if (length > 0 && (avcc.getUnsignedByte(offset) & 0x1F) != NAL_AUD) {
        out.writeBytes(START_CODE);
        out.writeBytes(avcc, offset, length);
      }
      offset += length;
    }
  }

  private static int nalLength(ByteBuf avcc, int offset, int end, int lengthSize) throws MediaFormatException {
    if (end - offset < lengthSize) {
      throw new MediaFormatException("AVC NAL length prefix truncated: " + (end - offset) + " of " + lengthSize + " bytes");
    }
    long length = switch (lengthSize) {
      case 1 -> avcc.getUnsignedByte(offset);
      case 2 -> avcc.getUnsignedShort(offset);
      default -> avcc.getUnsignedInt(offset);
    };
    if (length > end - offset - lengthSize) {
      throw new MediaFormatException("AVC NAL unit of " + length + " bytes, only "
          + (end - offset - lengthSize) + " left in the access unit");
    }
    return (int) length;
  }

  private static void writeNal(ByteBuf out, byte[] nal) {
    out.writeBytes(START_CODE);
    out.writeBytes(nal);
  }
}
