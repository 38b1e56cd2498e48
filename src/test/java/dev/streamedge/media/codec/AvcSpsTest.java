package dev.streamedge.media.codec;

import static dev.streamedge.media.codec.CodecBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.media.MediaFormatException;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * SPSs that ffmpeg 8.0.1's libx264 wrote for testsrc2 at 320x240, 25 fps (options noted), and a few
 * built by hand; the expected values are what ffmpeg's trace_headers bitstream filter printed for
 * the same bytes (a hand-built SPS spliced into an x264 stream in place of its own).
 */
@Tag("unit")
class AvcSpsTest {

  /** Default libx264: bframes 3, b-pyramid normal; VUI with max_num_reorder_frames 2. */
  static final String X264_DEFAULT = "6764000dacd94141fb011000000300100000030320f1429960";
  /** -x264-params b-pyramid=none: max_num_reorder_frames 1. */
  static final String X264_NO_PYRAMID = "6764000dacd10141fb011000000300100000030320f1429120";
  /** -bf 0: pic_order_cnt_type 2, max_num_reorder_frames 0. */
  static final String X264_NO_B_FRAMES = "6764000dacb20283f60220000003002000000641e28549";
  /** -profile:v baseline: profile_idc 66, max_num_reorder_frames 0. */
  static final String X264_BASELINE = "6742c00dd90141fb011000000300100000030320f142a480";
  /** -x264-params keyint=1: High with constraint_set3_flag, VUI without bitstream restriction. */
  static final String X264_HIGH_INTRA = "6764100dacb8283f60220000030002000003006408";
  /** -pix_fmt yuv444p -x264-params keyint=1: profile_idc 244, constraint_set3_flag, no restriction. */
  static final String X264_HIGH444_INTRA = "67f4100d91970507ec0440000003004000000c81";
  /** -b:v 300k -x264-params nal-hrd=cbr:vbv-maxrate=300:vbv-bufsize=600: NAL HRD, reorder 2. */
  static final String X264_NAL_HRD =
      "6764000dacd94141fb0110000003001000000303260400124f000493f9b0c01e28532c";
  /** -vf scale=320:180 -x264-params interlaced=1: frame_mbs_only_flag 0, bottom crop 3, reorder 2. */
  static final String X264_INTERLACED_320X180 = "67640015acd941433f27fe0006000820000003002000000643e28532c0";
  /**
   * By hand: High, 4:4:4 (twelve scaling lists: explicit 4x4 and 8x8 ones, a default one, some
   * ending early, one with a delta of 120), bottom crop 8 (320x232), extended SAR, colour
   * description, chroma location, timing 1001/60000, NAL HRD with two schedules (bit rate 3e9 - 1,
   * past an int), VCL HRD, pic_struct_present_flag, max_num_reorder_frames 3.
   */
  static final String FULL_VUI = "6764001e91b0d24924924924a114860d969a69a69a69a69a69a69a69a69a69a69a69a69a69a69a69a"
      + "450a140bc80f0ffffffffffffffffb28283ff13ff80020001da808080d2800001f480007530691000000300059682f"
      + "008000003000ee6b2801003e9003e8ef7be34402701677bdf0ed044224340";
  /** By hand: Main, pic_order_cnt_type 0, no VUI. */
  static final String MAIN_NO_VUI = "674d401eeca0a0fc80";
  /** By hand: Main, pic_order_cnt_type 0, VUI with timing only. */
  static final String MAIN_NO_RESTRICTION = "674d401eeca0a0fd080000030008000003019420";
  /** X264_NO_B_FRAMES with bitstream_restriction_flag 0: only pic_order_cnt_type 2 is left. */
  static final String POC_TYPE_2_NO_RESTRICTION = "6764000dacb20283f6022000000300200000064080";
  /** X264_BASELINE with bitstream_restriction_flag 0. */
  static final String BASELINE_NO_RESTRICTION = "6742c00dd90141fb01100000030010000003032040";

  @Test
  void x264DefaultWithBPyramidSignalsTwo() throws Exception {
    assertThat(AvcSps.reorderDepth(bytes(X264_DEFAULT))).isEqualTo(2);
    // The SPS of the AVCDecoderConfigurationRecord TestMedia writes is the same one.
    AvcConfig config = AvcConfig.parse(CodecBytes.buf(CodecBytes.AVC_HIGH_320X240));
    assertThat(AvcSps.reorderDepth(config.sps().get(0))).isEqualTo(2);
  }

  @Test
  void x264WithoutBPyramidSignalsOne() throws Exception {
    assertThat(AvcSps.reorderDepth(bytes(X264_NO_PYRAMID))).isEqualTo(1);
  }

  @Test
  void x264WithoutBFramesAndBaselineSignalZero() throws Exception {
    assertThat(AvcSps.reorderDepth(bytes(X264_NO_B_FRAMES))).isZero();
    assertThat(AvcSps.reorderDepth(bytes(X264_BASELINE))).isZero();
  }

  @Test
  void mainProfileOfTestMediaSignalsTwo() throws Exception {
    AvcConfig config = AvcConfig.parse(CodecBytes.buf(CodecBytes.AVC_MAIN_640X360));
    assertThat(AvcSps.reorderDepth(config.sps().get(0))).isEqualTo(2);
  }

  @Test
  void hrdParametersAreWalked() throws Exception {
    assertThat(AvcSps.reorderDepth(bytes(X264_NAL_HRD))).isEqualTo(2);
  }

  @Test
  void interlacedCroppedSpsReadsItsSizeAndDepth() throws Exception {
    assertThat(AvcSps.reorderDepth(bytes(X264_INTERLACED_320X180))).isEqualTo(2);
    AvcSps.Header header = header(X264_INTERLACED_320X180);
    assertThat(header.width()).isEqualTo(320);
    assertThat(header.height()).isEqualTo(180);
  }

  @Test
  void scalingListsAndEveryVuiFieldAreWalked() throws Exception {
    assertThat(AvcSps.reorderDepth(bytes(FULL_VUI))).isEqualTo(3);
    // Had a scaling list been misread, the size after it would be wrong too.
    AvcSps.Header header = header(FULL_VUI);
    assertThat(header.profile()).isEqualTo(100);
    assertThat(header.width()).isEqualTo(320);
    assertThat(header.height()).isEqualTo(232);
  }

  @Test
  void intraProfilesWithConstraintSet3InferZero() throws Exception {
    assertThat(AvcSps.reorderDepth(bytes(X264_HIGH_INTRA))).isZero();
    assertThat(AvcSps.reorderDepth(bytes(X264_HIGH444_INTRA))).isZero();
  }

  @Test
  void baselineAndPocType2WithoutRestrictionInferZero() throws Exception {
    assertThat(AvcSps.reorderDepth(bytes(BASELINE_NO_RESTRICTION))).isZero();
    assertThat(AvcSps.reorderDepth(bytes(POC_TYPE_2_NO_RESTRICTION))).isZero();
  }

  @Test
  void mainProfileWithoutRestrictionIsUnknown() throws Exception {
    assertThat(AvcSps.reorderDepth(bytes(MAIN_NO_VUI))).isEqualTo(AvcSps.UNKNOWN);
    assertThat(AvcSps.reorderDepth(bytes(MAIN_NO_RESTRICTION))).isEqualTo(AvcSps.UNKNOWN);
  }

  @Test
  void sharedHeaderGivesAvcConfigItsSizes() throws Exception {
    assertThat(header(X264_DEFAULT).width()).isEqualTo(320);
    assertThat(header(X264_DEFAULT).height()).isEqualTo(240);
    assertThat(header(MAIN_NO_VUI).pocType()).isZero();
    assertThat(header(X264_NO_B_FRAMES).pocType()).isEqualTo(2);
  }

  @Test
  void everyTruncationBeforeTheFieldIsAFormatException() throws Exception {
    byte[] sps = bytes(FULL_VUI);
    int firstWhole = -1;
    for (int length = 0; length <= sps.length; length++) {
      byte[] cut = Arrays.copyOf(sps, length);
      try {
        assertThat(AvcSps.reorderDepth(cut)).as("%d bytes", length).isEqualTo(3);
        firstWhole = firstWhole < 0 ? length : firstWhole;
      } catch (MediaFormatException expected) {
        assertThat(firstWhole).as("%d bytes fail after %d read", length, firstWhole).isNegative();
      }
    }
    // max_num_reorder_frames ends at bit 916 of the RBSP; the cut needs the bytes up to it.
    assertThat(firstWhole).isBetween(sps.length - 8, sps.length - 1);
  }

  @Test
  void outOfRangeValuesAreRefused() {
    // FULL_VUI with max_num_reorder_frames 17, then with a VCL cpb_cnt_minus1 of 32.
    String reorder17 = FULL_VUI.substring(0, FULL_VUI.length() - 4) + "1234";
    assertThatThrownBy(() -> AvcSps.reorderDepth(bytes(reorder17)))
        .isInstanceOf(MediaFormatException.class).hasMessageContaining("max_num_reorder_frames 17");
    String cpb32 = FULL_VUI.substring(0, FULL_VUI.length() - 26) + "20851009c059def7c3b4110890d0";
    assertThatThrownBy(() -> AvcSps.reorderDepth(bytes(cpb32)))
        .isInstanceOf(MediaFormatException.class).hasMessageContaining("cpb_cnt_minus1 32");
  }

  @Test
  void whatIsNoSpsIsRefused() {
    assertThatThrownBy(() -> AvcSps.reorderDepth(bytes("68ef3c80")))
        .isInstanceOf(MediaFormatException.class);
    assertThatThrownBy(() -> AvcSps.reorderDepth(new byte[0]))
        .isInstanceOf(MediaFormatException.class);
  }

  private static AvcSps.Header header(String hex) throws MediaFormatException {
    return AvcSps.header(new BitReader(BitReader.unescape(bytes(hex))));
  }
}
