package dev.streamedge.media.codec;

import dev.streamedge.media.MediaFormatException;
import java.util.Arrays;

/**
 * What the codec records need from an H.265 sequence parameter set (ITU-T H.265 §7.3.2.2.1), read up
 * to the bit depths; {@link #reorderDepth} reads on to the sub-layer ordering info.
 *
 * @param maxSubLayersMinus1 sps_max_sub_layers_minus1
 * @param temporalIdNesting sps_temporal_id_nesting_flag
 * @param generalProfileTierLevel the 12 bytes of general_profile_space through general_level_idc
 *     (§7.3.3), emulation prevention removed (do not modify the array)
 * @param chromaFormat chroma_format_idc
 * @param width conformance-cropped luma width in pixels (§7.4.3.2.1)
 * @param height conformance-cropped luma height in pixels
 * @param bitDepthLumaMinus8 bit_depth_luma_minus8
 * @param bitDepthChromaMinus8 bit_depth_chroma_minus8
 */
public record HevcSps(int maxSubLayersMinus1, boolean temporalIdNesting, byte[] generalProfileTierLevel,
    int chromaFormat, int width, int height, int bitDepthLumaMinus8, int bitDepthChromaMinus8) {

  private static final int MAX_DIMENSION = 16_888;
  /** general_profile_space through general_level_idc: 2 + 1 + 5 + 32 + 48 + 8 bits. */
  private static final int GENERAL_PTL_BYTES = 12;
  /** The NAL unit header and the byte of vps id, max sub layers and nesting flag before the PTL. */
  private static final int PTL_OFFSET = 3;
  private static final int MAX_BIT_DEPTH_MINUS8 = 8;
  private static final int NAL_TYPE_SPS = 33;
  /** sps_max_dec_pic_buffering_minus1 is below MaxDpbSize, at most 16 (§7.4.3.2.1, §A.4.2). */
  private static final int MAX_DPB_SIZE = 16;

  /** Reads an SPS NAL unit, header included, emulation prevention bytes still in. */
  public static HevcSps parse(byte[] spsNal) throws MediaFormatException {
    byte[] rbsp = BitReader.unescape(spsNal);
    return read(rbsp, new BitReader(rbsp));
  }

  /**
   * sps_max_num_reorder_pics of the highest sub-layer (§7.4.3.2.1): how many pictures may precede
   * a picture in decoding order and follow it in output order, what a receiver of RTP, which
   * carries presentation times only (RFC 7798 §4.1), needs to derive decode times. Unlike H.264's
   * VUI value it is always present.
   *
   * @param spsNal an SPS NAL unit, header included, emulation prevention bytes still in
   * @throws MediaFormatException when it is no SPS, ends before the field or the value is out of range
   */
  public static int reorderDepth(byte[] spsNal) throws MediaFormatException {
    if (spsNal.length < 2 || (spsNal[0] >> 1 & 0x3F) != NAL_TYPE_SPS) {
      throw new MediaFormatException("not an HEVC SPS NAL unit of " + spsNal.length + " bytes");
    }
    byte[] rbsp = BitReader.unescape(spsNal);
    BitReader in = new BitReader(rbsp);
    HevcSps sps = read(rbsp, in);
    in.unsigned(); // log2_max_pic_order_cnt_lsb_minus4
    boolean everySubLayer = in.bit() == 1; // sps_sub_layer_ordering_info_present_flag
    // Without ordering info for every sub-layer, the one set given is the highest sub-layer's.
    int reorder = 0;
    for (int i = everySubLayer ? 0 : sps.maxSubLayersMinus1(); i <= sps.maxSubLayersMinus1(); i++) {
      int decPicBufferingMinus1 = in.unsigned(); // sps_max_dec_pic_buffering_minus1[i]
      reorder = in.unsigned(); // sps_max_num_reorder_pics[i]
      if (reorder > decPicBufferingMinus1 || decPicBufferingMinus1 >= MAX_DPB_SIZE) {
        throw new MediaFormatException("HEVC SPS sps_max_num_reorder_pics " + reorder
            + " with sps_max_dec_pic_buffering_minus1 " + decPicBufferingMinus1);
      }
      if (i < sps.maxSubLayersMinus1()) {
        in.unsignedLong(); // sps_max_latency_increase_plus1[i], up to 2^32 - 2
      }
    }
    return reorder;
  }

  /** Reads seq_parameter_set_rbsp up to the bit depths, leaving {@code in} after them. */
  private static HevcSps read(byte[] rbsp, BitReader in) throws MediaFormatException {
    if (rbsp.length < PTL_OFFSET + GENERAL_PTL_BYTES) {
      throw new MediaFormatException("HEVC SPS of " + rbsp.length + " bytes");
    }
    in.skip(16); // NAL unit header
    in.skip(4); // sps_video_parameter_set_id
    int maxSubLayersMinus1 = in.bits(3);
    boolean nesting = in.bit() == 1;
    byte[] generalPtl = Arrays.copyOfRange(rbsp, PTL_OFFSET, PTL_OFFSET + GENERAL_PTL_BYTES);
    in.skip(GENERAL_PTL_BYTES * 8);
    // profile_tier_level(1, maxSubLayersMinus1), §7.3.3, after its general part.
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
    int lumaDepth = in.unsigned();
    int chromaDepth = in.unsigned();
    if (lumaDepth > MAX_BIT_DEPTH_MINUS8 || chromaDepth > MAX_BIT_DEPTH_MINUS8) {
      throw new MediaFormatException("HEVC SPS bit depths " + (lumaDepth + 8) + "/" + (chromaDepth + 8));
    }
    return new HevcSps(maxSubLayersMinus1, nesting, generalPtl, chromaFormat, (int) width, (int) height,
        lumaDepth, chromaDepth);
  }
}
