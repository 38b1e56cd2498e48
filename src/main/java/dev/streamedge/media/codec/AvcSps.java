package dev.streamedge.media.codec;

import dev.streamedge.media.MediaFormatException;
import java.util.List;

/**
 * Reads an H.264 sequence parameter set: seq_parameter_set_data (ITU-T H.264 §7.3.2.1.1) up to the
 * picture size for {@link AvcConfig}, and on into vui_parameters (§E.1.1) for the reorder depth.
 *
 * <p>RTP carries presentation times only (RFC 6184 §5.1); the decode times FLV needs are derived
 * from them knowing how many frames may precede a frame in decoding order and follow it in output
 * order, which is max_num_reorder_frames of the VUI's bitstream restriction (§E.2.1).
 */
public final class AvcSps {

  /** {@link #reorderDepth} when the SPS neither signals nor implies it: the caller picks a default. */
  public static final int UNKNOWN = -1;
  /** Profiles whose SPS carries chroma format and scaling lists (H.264 §7.3.2.1.1). */
  static final List<Integer> HIGH_PROFILES =
      List.of(100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135);
  /** Profiles that are intra-only when constraint_set3_flag is 1 (§A.2.8 to §A.2.11, §E.2.1). */
  private static final List<Integer> INTRA_WITH_SET3 = List.of(44, 86, 100, 110, 122, 244);
  private static final int PROFILE_BASELINE = 66;
  private static final int CONSTRAINT_SET3 = 0x10;
  private static final int NAL_TYPE_SPS = 7;
  /** pic_order_cnt_type 2 derives the order from frame_num: output order is decoding order (§8.2.1.3). */
  private static final int POC_FROM_FRAME_NUM = 2;
  /** Level 6.2 allows 139264 macroblocks per frame; anything wider than this is broken. */
  private static final int MAX_DIMENSION = 16_384;
  private static final int EXTENDED_SAR = 255;
  /** cpb_cnt_minus1 is in 0..31 (§E.2.2). */
  private static final int MAX_CPB_CNT_MINUS1 = 31;
  /** max_num_reorder_frames ≤ max_dec_frame_buffering ≤ MaxDpbFrames ≤ 16 (§E.2.1, §A.3.1). */
  private static final int MAX_REORDER_FRAMES = 16;

  /** What seq_parameter_set_data holds before vui_parameters_present_flag, as far as it is needed. */
  record Header(int profile, int constraintFlags, int pocType, int width, int height) {
  }

  private AvcSps() {
  }

  /**
   * The reorder depth of the stream an SPS NAL unit (header included, emulation prevention bytes
   * still in) describes: max_num_reorder_frames when the VUI has a bitstream restriction; without
   * one, 0 where the profile or picture order rules out reordering (Baseline, the intra profiles
   * with constraint_set3_flag as §E.2.1 infers, pic_order_cnt_type 2), else {@link #UNKNOWN}, since
   * the inferred MaxDpbFrames (up to 16) would be a uselessly large bound.
   *
   * @throws MediaFormatException when the NAL unit is no SPS or ends or goes out of range before
   *     the field is read
   */
  public static int reorderDepth(byte[] spsNal) throws MediaFormatException {
    if (spsNal.length == 0 || (spsNal[0] & 0x1F) != NAL_TYPE_SPS) {
      throw new MediaFormatException("not an SPS NAL unit of " + spsNal.length + " bytes");
    }
    BitReader in = new BitReader(BitReader.unescape(spsNal));
    Header sps = header(in);
    if (in.bit() == 1) { // vui_parameters_present_flag
      int signalled = maxNumReorderFrames(in);
      if (signalled != UNKNOWN) {
        return signalled;
      }
    }
    boolean intraOnly = (sps.constraintFlags() & CONSTRAINT_SET3) != 0 && INTRA_WITH_SET3.contains(sps.profile());
    return sps.profile() == PROFILE_BASELINE || intraOnly || sps.pocType() == POC_FROM_FRAME_NUM ? 0 : UNKNOWN;
  }

  /**
   * Reads seq_parameter_set_data from the NAL header through the frame cropping window, leaving
   * {@code in} at vui_parameters_present_flag.
   */
  static Header header(BitReader in) throws MediaFormatException {
    in.skip(8); // NAL header
    int profile = in.bits(8);
    int constraintFlags = in.bits(8);
    in.skip(8); // level_idc
    in.unsigned(); // seq_parameter_set_id
    int chromaFormat = 1;
    boolean separateColourPlanes = false;
    if (HIGH_PROFILES.contains(profile)) {
      chromaFormat = in.unsigned();
      if (chromaFormat > 3) {
        throw new MediaFormatException("SPS chroma_format_idc " + chromaFormat);
      }
      if (chromaFormat == 3) {
        separateColourPlanes = in.bit() == 1;
      }
      in.unsigned(); // bit_depth_luma_minus8
      in.unsigned(); // bit_depth_chroma_minus8
      in.skip(1); // qpprime_y_zero_transform_bypass_flag
      if (in.bit() == 1) { // seq_scaling_matrix_present_flag: six 4x4 lists, then two or six 8x8
        for (int i = 0; i < (chromaFormat != 3 ? 8 : 12); i++) {
          if (in.bit() == 1) { // seq_scaling_list_present_flag[i]
            skipScalingList(in, i < 6 ? 16 : 64);
          }
        }
      }
    }
    in.unsigned(); // log2_max_frame_num_minus4
    int pocType = in.unsigned();
    if (pocType == 0) {
      in.unsigned(); // log2_max_pic_order_cnt_lsb_minus4
    } else if (pocType == 1) {
      in.skip(1); // delta_pic_order_always_zero_flag
      in.signed(); // offset_for_non_ref_pic
      in.signed(); // offset_for_top_to_bottom_field
      int cycle = in.unsigned();
      if (cycle > 255) {
        throw new MediaFormatException("SPS num_ref_frames_in_pic_order_cnt_cycle " + cycle);
      }
      for (int i = 0; i < cycle; i++) {
        in.signed(); // offset_for_ref_frame[i]
      }
    } else if (pocType > POC_FROM_FRAME_NUM) {
      throw new MediaFormatException("SPS pic_order_cnt_type " + pocType);
    }
    in.unsigned(); // max_num_ref_frames
    in.skip(1); // gaps_in_frame_num_value_allowed_flag
    long widthMbs = in.unsigned() + 1L;
    long heightMapUnits = in.unsigned() + 1L;
    int frameMbsOnly = in.bit();
    if (frameMbsOnly == 0) {
      in.skip(1); // mb_adaptive_frame_field_flag
    }
    in.skip(1); // direct_8x8_inference_flag
    long width = widthMbs * 16;
    long height = (2 - frameMbsOnly) * heightMapUnits * 16;
    if (in.bit() == 1) { // frame_cropping_flag; crop units from §7.4.2.1.1 (ChromaArrayType)
      boolean monochrome = chromaFormat == 0 || separateColourPlanes;
      int cropX = monochrome || chromaFormat == 3 ? 1 : 2;
      int cropY = (monochrome || chromaFormat != 1 ? 1 : 2) * (2 - frameMbsOnly);
      width -= (in.unsigned() + (long) in.unsigned()) * cropX;
      height -= (in.unsigned() + (long) in.unsigned()) * cropY;
    }
    if (width <= 0 || height <= 0 || width > MAX_DIMENSION || height > MAX_DIMENSION) {
      throw new MediaFormatException("SPS picture size " + width + "x" + height);
    }
    return new Header(profile, constraintFlags, pocType, (int) width, (int) height);
  }

  /**
   * scaling_list() of §7.3.2.1.1.1, read only to get past it: delta_scale follows until a scale of
   * 0, which repeats the last one to the end of the list (or, first, means the default list).
   */
  private static void skipScalingList(BitReader in, int size) throws MediaFormatException {
    int last = 8;
    int next = 8;
    for (int j = 0; j < size && next != 0; j++) {
      next = Math.floorMod(last + in.signed(), 256);
      last = next == 0 ? last : next;
    }
  }

  /**
   * Reads vui_parameters (§E.1.1) up to max_num_reorder_frames: that value, or {@link #UNKNOWN}
   * without bitstream_restriction_flag.
   */
  private static int maxNumReorderFrames(BitReader in) throws MediaFormatException {
    if (in.bit() == 1) { // aspect_ratio_info_present_flag
      if (in.bits(8) == EXTENDED_SAR) { // aspect_ratio_idc
        in.skip(32); // sar_width, sar_height
      }
    }
    if (in.bit() == 1) { // overscan_info_present_flag
      in.skip(1); // overscan_appropriate_flag
    }
    if (in.bit() == 1) { // video_signal_type_present_flag
      in.skip(4); // video_format, video_full_range_flag
      if (in.bit() == 1) { // colour_description_present_flag
        in.skip(24); // colour_primaries, transfer_characteristics, matrix_coefficients
      }
    }
    if (in.bit() == 1) { // chroma_loc_info_present_flag
      in.unsigned(); // chroma_sample_loc_type_top_field
      in.unsigned(); // chroma_sample_loc_type_bottom_field
    }
    if (in.bit() == 1) { // timing_info_present_flag
      in.skip(32); // num_units_in_tick
      in.skip(32); // time_scale
      in.skip(1); // fixed_frame_rate_flag
    }
    boolean nalHrd = in.bit() == 1;
    if (nalHrd) {
      skipHrdParameters(in);
    }
    boolean vclHrd = in.bit() == 1;
    if (vclHrd) {
      skipHrdParameters(in);
    }
    if (nalHrd || vclHrd) {
      in.skip(1); // low_delay_hrd_flag
    }
    in.skip(1); // pic_struct_present_flag
    if (in.bit() == 0) { // bitstream_restriction_flag
      return UNKNOWN;
    }
    in.skip(1); // motion_vectors_over_pic_boundaries_flag
    in.unsigned(); // max_bytes_per_pic_denom
    in.unsigned(); // max_bits_per_mb_denom
    in.unsigned(); // log2_max_mv_length_horizontal
    in.unsigned(); // log2_max_mv_length_vertical
    int reorder = in.unsigned();
    if (reorder > MAX_REORDER_FRAMES) {
      throw new MediaFormatException("SPS max_num_reorder_frames " + reorder);
    }
    return reorder;
  }

  /** hrd_parameters() of §E.1.2, read only to get past it. */
  private static void skipHrdParameters(BitReader in) throws MediaFormatException {
    int cpbCntMinus1 = in.unsigned();
    if (cpbCntMinus1 > MAX_CPB_CNT_MINUS1) {
      throw new MediaFormatException("SPS cpb_cnt_minus1 " + cpbCntMinus1);
    }
    in.skip(8); // bit_rate_scale, cpb_size_scale
    for (int i = 0; i <= cpbCntMinus1; i++) {
      in.unsignedLong(); // bit_rate_value_minus1[i]
      in.unsignedLong(); // cpb_size_value_minus1[i]
      in.skip(1); // cbr_flag[i]
    }
    // initial_cpb_removal_delay_length_minus1, cpb_removal_delay_length_minus1,
    // dpb_output_delay_length_minus1, time_offset_length
    in.skip(20);
  }
}
