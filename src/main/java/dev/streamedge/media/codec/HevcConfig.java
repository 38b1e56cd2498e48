package dev.streamedge.media.codec;

import dev.streamedge.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * What HLS needs from an HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 §8.3.3.1), the body of an
 * Enhanced RTMP {@code hvc1} sequence start: the NAL length size and the picture size of its first SPS.
 *
 * @param nalLengthSize bytes of the length prefix of every NAL unit: 1, 2 or 4
 * @param width conformance-cropped luma width in pixels (ITU-T H.265 §7.4.3.2.1)
 * @param height conformance-cropped luma height in pixels
 */
public record HevcConfig(int nalLengthSize, int width, int height) {

  private static final int NAL_TYPE_VPS = 32;
  private static final int NAL_TYPE_SPS = 33;
  private static final int NAL_TYPE_PPS = 34;
  /** Bytes before numOfArrays. */
  private static final int FIXED_LENGTH = 23;

  /** Reads the readable bytes of {@code record}, which is left untouched. */
  public static HevcConfig parse(ByteBuf record) throws MediaFormatException {
    int at = record.readerIndex();
    int end = record.writerIndex();
    if (end - at < FIXED_LENGTH || record.getUnsignedByte(at) != 1) {
      throw new MediaFormatException("not an HEVCDecoderConfigurationRecord version 1");
    }
    int nalLengthSize = (record.getUnsignedByte(at + 21) & 0x03) + 1;
    if (nalLengthSize == 3) {
      throw new MediaFormatException("HEVC NAL length size 3 is not allowed");
    }
    int arrays = record.getUnsignedByte(at + 22);
    int offset = at + FIXED_LENGTH;
    for (int a = 0; a < arrays; a++) {
      if (offset + 3 > end) {
        throw new MediaFormatException("HEVCDecoderConfigurationRecord truncated in its arrays");
      }
      int type = record.getUnsignedByte(offset) & 0x3F;
      int count = record.getUnsignedShort(offset + 1);
      offset += 3;
      for (int n = 0; n < count; n++) {
        if (offset + 2 > end) {
          throw new MediaFormatException("HEVCDecoderConfigurationRecord truncated in a NAL unit");
        }
        int length = record.getUnsignedShort(offset);
        if (offset + 2 + length > end) {
          throw new MediaFormatException("HEVC NAL unit of " + length + " bytes past the record's end");
        }
        if (type == NAL_TYPE_SPS) {
          byte[] sps = new byte[length];
          record.getBytes(offset + 2, sps);
          HevcSps parsed = HevcSps.parse(sps);
          return new HevcConfig(nalLengthSize, parsed.width(), parsed.height());
        }
        offset += 2 + length;
      }
    }
    throw new MediaFormatException("HEVCDecoderConfigurationRecord without an SPS");
  }

  /**
   * The record's VPS, SPS and PPS NAL units (without length prefixes) in its order, what a decoder of an Annex B
   * stream needs before a random access point; SEI arrays are left out.
   */
  public static List<byte[]> parameterSets(ByteBuf record) throws MediaFormatException {
    int end = record.writerIndex();
    if (end - record.readerIndex() < FIXED_LENGTH) {
      throw new MediaFormatException("HEVCDecoderConfigurationRecord truncated before its arrays");
    }
    int arrays = record.getUnsignedByte(record.readerIndex() + 22);
    int offset = record.readerIndex() + FIXED_LENGTH;
    List<byte[]> sets = new ArrayList<>(3);
    for (int a = 0; a < arrays && offset + 3 <= end; a++) {
      int type = record.getUnsignedByte(offset) & 0x3F;
      int count = record.getUnsignedShort(offset + 1);
      offset += 3;
      for (int n = 0; n < count; n++) {
        if (offset + 2 > end || offset + 2 + record.getUnsignedShort(offset) > end) {
          throw new MediaFormatException("HEVCDecoderConfigurationRecord truncated in a NAL unit");
        }
        int length = record.getUnsignedShort(offset);
        if (length > 0 && type >= NAL_TYPE_VPS && type <= NAL_TYPE_PPS) {
          byte[] nal = new byte[length];
          record.getBytes(offset + 2, nal);
          sets.add(nal);
        }
        offset += 2 + length;
      }
    }
    return sets;
  }
}
