package dev.streamedge.media.codec;

import static dev.streamedge.media.codec.CodecBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.media.MediaFormatException;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * SPSs that ffmpeg 8.0.1's libx265 wrote for testsrc2 at 320x240, 25 fps (options noted), and two
 * edited by hand; the expected values are what ffmpeg's trace_headers printed for the same bytes.
 */
@Tag("unit")
class HevcSpsTest {

  /** Default libx265 (bframes 4, b-pyramid): sps_max_dec_pic_buffering_minus1 4, reorder 2. */
  static final String X265_DEFAULT =
      "42010101600000030090000003000003003ca00a080f165959a4932bc05a020000030002000003003210";
  /** -x265-params bframes=0: sps_max_dec_pic_buffering_minus1 3, reorder 0. */
  static final String X265_NO_B_FRAMES =
      "42010101600000030090000003000003003ca00a080f16592a4932bc05a02000000300200000030321";
  /** -x265-params b-pyramid=0: reorder 1. */
  static final String X265_NO_PYRAMID =
      "42010101600000030090000003000003003ca00a080f165911a4932bc05a020000030002000003003210";
  /** -pix_fmt yuv420p10le -x265-params bframes=4: Main 10, reorder 2. */
  static final String X265_MAIN10 =
      "42010102200000030090000003000003003ca00a080f1365959a4932bc05a02000000300200000030321";
  /** -x265-params temporal-layers=1: two sub-layers, ordering info for each, reorder 2 and 2. */
  static final String X265_TWO_SUB_LAYERS =
      "42010201600000030090000003000003003c0000a00a080f1659598acd24995e02d0100000030010000003019080";
  /** X265_TWO_SUB_LAYERS without ordering info for sub-layer 0: the one set (reorder 2) is layer 1's. */
  static final String ORDERING_FOR_HIGHEST_ONLY =
      "42010201600000030090000003000003003c0000a00a080f165159a4932bc05a020000030002000003003210";
  /** X265_TWO_SUB_LAYERS with sub-layer 0 at buffering 1, reorder 0, latency 0; sub-layer 1 reorder 2. */
  static final String LOWER_SUB_LAYER_WITHOUT_REORDER =
      "42010201600000030090000003000003003c0000a00a080f165acacd24995e02d0100000030010000003019080";

  @Test
  void x265DefaultSignalsTwo() throws Exception {
    assertThat(HevcSps.reorderDepth(bytes(X265_DEFAULT))).isEqualTo(2);
    // The x265 SPS the HEVC record tests hold (another x265 version) signals 2 as well.
    assertThat(HevcSps.reorderDepth(bytes(HevcConfigRecordTest.SPS))).isEqualTo(2);
  }

  @Test
  void x265WithoutBFramesSignalsZero() throws Exception {
    assertThat(HevcSps.reorderDepth(bytes(X265_NO_B_FRAMES))).isZero();
  }

  @Test
  void x265WithoutPyramidSignalsOne() throws Exception {
    assertThat(HevcSps.reorderDepth(bytes(X265_NO_PYRAMID))).isEqualTo(1);
  }

  @Test
  void tenBitSpsSignalsTwo() throws Exception {
    assertThat(HevcSps.reorderDepth(bytes(X265_MAIN10))).isEqualTo(2);
    assertThat(HevcSps.parse(bytes(X265_MAIN10)).bitDepthLumaMinus8()).isEqualTo(2);
  }

  @Test
  void theHighestSubLayerCounts() throws Exception {
    assertThat(HevcSps.parse(bytes(X265_TWO_SUB_LAYERS)).maxSubLayersMinus1()).isEqualTo(1);
    assertThat(HevcSps.reorderDepth(bytes(X265_TWO_SUB_LAYERS))).isEqualTo(2);
    assertThat(HevcSps.reorderDepth(bytes(ORDERING_FOR_HIGHEST_ONLY))).isEqualTo(2);
    assertThat(HevcSps.reorderDepth(bytes(LOWER_SUB_LAYER_WITHOUT_REORDER))).isEqualTo(2);
  }

  @Test
  void parseStillReadsTheSizeOfEveryOne() throws Exception {
    for (String sps : new String[] {X265_DEFAULT, X265_NO_B_FRAMES, X265_TWO_SUB_LAYERS,
        ORDERING_FOR_HIGHEST_ONLY, LOWER_SUB_LAYER_WITHOUT_REORDER}) {
      HevcSps parsed = HevcSps.parse(bytes(sps));
      assertThat(parsed.width() + "x" + parsed.height()).as(sps).isEqualTo("320x240");
    }
  }

  @Test
  void everyTruncationBeforeTheFieldIsAFormatException() throws Exception {
    byte[] sps = bytes(LOWER_SUB_LAYER_WITHOUT_REORDER);
    int firstWhole = -1;
    for (int length = 0; length <= sps.length; length++) {
      byte[] cut = Arrays.copyOf(sps, length);
      try {
        assertThat(HevcSps.reorderDepth(cut)).as("%d bytes", length).isEqualTo(2);
        firstWhole = firstWhole < 0 ? length : firstWhole;
      } catch (MediaFormatException expected) {
        assertThat(firstWhole).as("%d bytes fail after %d read", length, firstWhole).isNegative();
      }
    }
    // sps_max_num_reorder_pics[1] ends at bit 194 of the RBSP, in its 25th byte, with three
    // emulation prevention bytes before it in the NAL unit.
    assertThat(firstWhole).isEqualTo(28);
  }

  @Test
  void reorderBeyondTheBufferingIsRefused() {
    // X265_DEFAULT with sps_max_num_reorder_pics 5 over sps_max_dec_pic_buffering_minus1 4.
    assertThatThrownBy(() -> HevcSps.reorderDepth(
        bytes("42010101600000030090000003000003003ca00a080f16594c6924caf0168080000003008000000c84")))
        .isInstanceOf(MediaFormatException.class).hasMessageContaining("sps_max_num_reorder_pics 5");
  }

  @Test
  void whatIsNoSpsIsRefused() {
    assertThatThrownBy(() -> HevcSps.reorderDepth(bytes("4401c172b46240")))
        .isInstanceOf(MediaFormatException.class).hasMessageContaining("not an HEVC SPS");
    assertThatThrownBy(() -> HevcSps.reorderDepth(new byte[0])).isInstanceOf(MediaFormatException.class);
  }
}
