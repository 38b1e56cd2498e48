package dev.streamedge.mpegts;

import static dev.streamedge.mpegts.TsTestSupport.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.media.codec.CodecBytes;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** PES frames to FLV bodies, byte for byte (FLV spec v10.1 §E.4.2.1, §E.4.3.1). */
@Tag("unit")
class FlvFromTsTest {

  /** SPS and PPS of CodecBytes.AVC_HIGH_320X240, as libx264 wrote them. */
  private static final String SPS = "6764000dacd94141fb0110000003001000000303" + "20f1429960";
  private static final String PPS = "68ef8fcb";
  private static final String ADTS_STEREO_48K = "fff14c80017ffc";

  private final List<String> out = new ArrayList<>();
  private final FlvFromTs flv = new FlvFromTs((kind, timestamp, body) ->
      out.add(kind + " " + timestamp + " " + ByteBufUtil.hexDump(body)));

  @Test
  void adtsFramesBecomeOneSequenceHeaderAndRawFramesAtTheirSampleTimes() {
    // Two ADTS frames in one PES, the second with a CRC (protection_absent 0, 9-byte header).
    frame(TsStreamType.AAC_ADTS, 900_000, 900_000, ADTS_STEREO_48K + "deadbeef" + "fff04c8001 7ffc 1234 cafe");
    // The next PES, two frames later: 2 × 1024 samples at 48 kHz = 3840 ticks.
    frame(TsStreamType.AAC_ADTS, 903_840, 903_840, ADTS_STEREO_48K + "0badf00d");
    // Mono from here: a new AudioSpecificConfig, 1024 samples later (42.667 + 21.333 ms).
    frame(TsStreamType.AAC_ADTS, 905_760, 905_760, "fff14c40017ffc" + "01020304");
    assertThat(out).containsExactly(
        "AUDIO 0 af001190",
        "AUDIO 0 af01deadbeef",
        "AUDIO 21 af01cafe",
        "AUDIO 43 af010badf00d",
        "AUDIO 64 af001188",
        "AUDIO 64 af0101020304");
  }

  @Test
  void adtsTimesAreExactFractionsOfThePesTime() {
    // 44.1 kHz: frame i starts at i × 23.22 ms; rounding each from the PES time never drifts.
    String frame = "fff15080017ffc" + "00000000";
    frame(TsStreamType.AAC_ADTS, 0, 0, frame.repeat(50));
    List<Long> times = out.stream().filter(s -> s.contains(" af01")).map(s -> Long.parseLong(s.split(" ")[1])).toList();
    assertThat(times).hasSize(50);
    for (int i = 0; i < 50; i++) {
      assertThat(times.get(i)).isEqualTo(Math.round(i * 1024 * 1000 / 44100.0));
    }
  }

  @Test
  void h264AccessUnitsBecomeASequenceHeaderAndLengthPrefixedNalUnits() {
    frame(TsStreamType.H264, 133_200, 126_000,
        "0000000109f0" + "00000001" + SPS + "00000001" + PPS + "000001658880" + "0000");
    frame(TsStreamType.H264, 129_600, 129_600, "0000000109f0" + "00000001419a02");
    frame(TsStreamType.H264, 142_200, 133_200, "000001419a0300" + "000001019a04");
    assertThat(out).containsExactly(
        "VIDEO 0 1700000000" + CodecBytes.AVC_HIGH_320X240,
        // keyframe, NALU, CompositionTime 80 ms; AUD, SPS, PPS, IDR slice (trailing zero bytes dropped).
        "VIDEO 0 1701000050" + "0000000209f0" + "00000019" + SPS + "00000004" + PPS + "00000003658880",
        "VIDEO 40 2701000000" + "0000000209f0" + "00000003419a02",
        // The trailing zero of a NAL unit is no part of it (H.264 §7.4.1).
        "VIDEO 80 2701000064" + "00000003419a03" + "00000003019a04");
  }

  @Test
  void videoBeforeTheParameterSetsIsDroppedAndAChangeSendsANewSequenceHeader() {
    frame(TsStreamType.H264, 90_000, 90_000, "00000001419a02");
    frame(TsStreamType.H264, 93_600, 93_600, "00000001" + SPS + "00000001" + PPS + "00000001658880");
    // The same parameter sets again: no new header.
    frame(TsStreamType.H264, 97_200, 97_200, "00000001" + SPS + "00000001" + PPS + "00000001658881");
    // Another PPS: a new header with the known SPS.
    frame(TsStreamType.H264, 100_800, 100_800, "00000001" + "68ee3c80" + "00000001658882");
    assertThat(flv.videoBeforeSequenceHeader()).isEqualTo(1);
    assertThat(out.stream().map(s -> head(s, 16))).containsExactly(
        "VIDEO 40 1700000000016400",
        "VIDEO 40 1701000000000000",
        "VIDEO 80 1701000000000000",
        "VIDEO 120 1700000000016400",
        "VIDEO 120 1701000000000000");
    assertThat(out.get(3)).endsWith("01000468ee3c80fdf8f800");
  }

  @Test
  void timestampsContinueAcrossThe33BitWrapOnOneBaseForBothTracks() {
    long wrap = 1L << 33;
    frame(TsStreamType.H264, wrap - 3600, wrap - 7200, "00000001" + SPS + "00000001" + PPS + "00000001658880");
    frame(TsStreamType.AAC_ADTS, wrap - 1800, wrap - 1800, ADTS_STEREO_48K + "01020304");
    // PTS wrapped, DTS not yet.
    frame(TsStreamType.H264, 1800, wrap - 3600, "00000001419a02");
    frame(TsStreamType.H264, 5400, 0, "00000001419a03");
    frame(TsStreamType.AAC_ADTS, 1800, 1800, ADTS_STEREO_48K + "01020304");
    assertThat(out.stream().map(s -> head(s, 10))).containsExactly(
        "VIDEO 0 1700000000",
        "VIDEO 0 1701000028",
        "AUDIO 60 af001190",
        "AUDIO 60 af01010203",
        // CompositionTime 60 ms.
        "VIDEO 40 270100003c",
        "VIDEO 80 270100003c",
        "AUDIO 100 af01010203");
  }

  @Test
  void millisecondsWrapAt32BitsAsRtmpTimestampsDo() {
    TsClock clock = new TsClock();
    long step = 1L << 31;
    long dts = 5_000;
    clock.unwrap(dts);
    long unwrapped = 0;
    // 2^32 ms is 4.3e11 ticks, some 45 turns of the 33-bit clock, in steps it can follow.
    for (int i = 0; i < 181; i++) {
      dts = (dts + step) & ((1L << 33) - 1);
      unwrapped = clock.unwrap(dts);
    }
    long expectedMs = Math.round(181.0 * step / 90);
    assertThat(unwrapped - 5_000).isEqualTo(181 * step);
    assertThat(expectedMs).isGreaterThan(1L << 32);
    assertThat(clock.millis(unwrapped)).isEqualTo(expectedMs & 0xFFFF_FFFFL);
  }

  @Test
  void aTrackStartingBeforeTheBaseStartsAtZero() {
    frame(TsStreamType.H264, 90_000, 90_000, "00000001" + SPS + "00000001" + PPS + "00000001658880");
    frame(TsStreamType.AAC_ADTS, 89_100, 89_100, ADTS_STEREO_48K + "01020304");
    assertThat(out).last().asString().startsWith("AUDIO 0 af01");
  }

  @Test
  void h265BecomesEnhancedRtmpHvc1WithCodedFramesXWhenThereIsNoCompositionTime() {
    String vps = "40010c01ffff01600000030090000003000003003c959009";
    String sps = "42010101600000030090000003000003003ca00a080f16595912930bc05a020000030002000003003210";
    String pps = "4401c073c189";
    frame(TsStreamType.H265, 9000, 9000, "000001" + "0201d0");
    frame(TsStreamType.H265, 16_200, 9000, "00000001460150" + "00000001" + vps + "00000001" + sps + "00000001" + pps
        + "000001" + "2801af");
    frame(TsStreamType.H265, 12_600, 12_600, "00000001460150" + "00000001" + "0201d1");
    assertThat(flv.videoBeforeSequenceHeader()).isEqualTo(1);
    assertThat(out).containsExactly(
        // IsExHeader, key frame, SequenceStart, 'hvc1', then the record (HevcConfigRecordTest).
        "VIDEO 0 9068766331" + "0101600000009000000000003cf000fcfdf8f800000f03" + "2000010018" + vps + "210001002a" + sps
            + "2200010006" + pps,
        // CodedFrames with CompositionTime 80 ms; an IDR_N_LP slice (20) is an IRAP picture: key frame.
        "VIDEO 0 9168766331000050" + "00000003460150" + "00000018" + vps + "0000002a" + sps + "00000006" + pps
            + "000000032801af",
        // CodedFramesX: an inter frame without composition time.
        "VIDEO 40 a368766331" + "00000003460150" + "000000030201d1");
  }

  @Test
  void brokenAdtsCostsTheRestOfItsPesOnly() {
    frame(TsStreamType.AAC_ADTS, 0, 0, ADTS_STEREO_48K + "01020304" + "fff14c8001ff" + "00");
    frame(TsStreamType.AAC_ADTS, 1920, 1920, "0102" + ADTS_STEREO_48K + "01020304");
    frame(TsStreamType.AAC_ADTS, 3840, 3840, ADTS_STEREO_48K + "01020304");
    assertThat(out).containsExactly("AUDIO 0 af001190", "AUDIO 0 af0101020304", "AUDIO 43 af0101020304");
    assertThat(flv.malformed()).isEqualTo(2);
  }

  /** Kind, timestamp and the first {@code hexDigits} of the body. */
  private static String head(String tag, int hexDigits) {
    String[] parts = tag.split(" ");
    return parts[0] + " " + parts[1] + " " + parts[2].substring(0, Math.min(hexDigits, parts[2].length()));
  }

  private void frame(TsStreamType type, long pts, long dts, String data) {
    flv.frame(new TsFrame(type, pts, dts, Unpooled.wrappedBuffer(hex(data))));
  }
}
