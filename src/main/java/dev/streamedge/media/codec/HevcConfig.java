package dev.streamedge.media.codec;

import dev.streamedge.media.MediaFormatException;
import io.netty.buffer.ByteBuf;

/**
 * What HLS needs from an HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 §8.3.3.1), the body of an
 * Enhanced RTMP {@code hvc1} sequence start: the NAL length size and the picture size of its first SPS.
 *
 * @param nalLengthSize bytes of the length prefix of every NAL unit: 1, 2 or 4
 * @param width conformance-cropped luma width in pixels (ITU-T H.265 §7.4.3.2.1)
 * @param height conformance-cropped luma height in pixels
 */
public record HevcConfig(int nalLengthSize, int width, int height) {

  private static final int NAL_TYPE_SPS = 33;
  private static final int MAX_DIMENSION = 16_888;
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
          int[] size = pictureSize(sps);
          return new HevcConfig(nalLengthSize, size[0], size[1]);
        }
        offset += 2 + length;
      }
    }
    throw new MediaFormatException("HEVCDecoderConfigurationRecord without an SPS");
  }

  /** seq_parameter_set_rbsp (H.265 §7.3.2.2.1) up to the conformance window: {width, height}. */
  private static int[] pictureSize(byte[] spsNal) throws MediaFormatException {
    BitReader in = new BitReader(BitReader.unescape(spsNal));
    in.skip(16); // NAL unit header
    in.skip(4); // sps_video_parameter_set_id
    int maxSubLayersMinus1 = in.bits(3);
    in.skip(1); // sps_temporal_id_nesting_flag
    // profile_tier_level(1, maxSubLayersMinus1), §7.3.3: the general part is 88 bits + level.
    in.skip(88);
    in.skip(8); // general_level_idc
    boolean[] profilePresent = new boolean[maxSubLayersMinus1];
    boolean[] levelPresent = new boolean[maxSubLayersMinus1];
    for (int i = 0; i < maxSubLayersMinus1; i++) {
      profilePresent[i] = in.bit() == 1;
      levelPresent[i] = in.bit() == 1;
    }
    if (maxSubLayersMinus1 > 0) {
      in.skip(2 * (8 - maxSubLayersMinus1)); // reserved_zero_2bits
    }
    for (int i = 0; i < maxSubLayersMinus1; i++) {
      in.skip((profilePresent[i] ? 88 : 0) + (levelPresent[i] ? 8 : 0));
    }
    in.unsigned(); // sps_seq_parameter_set_id
    int chromaFormat = in.unsigned();
    if (chromaFormat > 3) {
      throw new MediaFormatException("HEVC SPS chroma_format_idc " + chromaFormat);
    }
    boolean separateColourPlanes = chromaFormat == 3 && in.bit() == 1;
    long width = in.unsigned();
    long height = in.unsigned();
    if (in.bit() == 1) { // conformance_window_flag; units from Table 6-1 (SubWidthC, SubHeightC)
      boolean fullChroma = chromaFormat == 0 || chromaFormat == 3 || separateColourPlanes;
      int subWidth = fullChroma ? 1 : 2;
      int subHeight = chromaFormat == 1 && !separateColourPlanes ? 2 : 1;
      width -= (in.unsigned() + (long) in.unsigned()) * subWidth;
      height -= (in.unsigned() + (long) in.unsigned()) * subHeight;
    }
    if (width <= 0 || height <= 0 || width > MAX_DIMENSION || height > MAX_DIMENSION) {
      throw new MediaFormatException("HEVC SPS picture size " + width + "x" + height);
    }
    return new int[] {(int) width, (int) height};
  }
}
