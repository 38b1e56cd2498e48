package dev.streamedge.hls.ts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.media.MediaFormatException;
import dev.streamedge.mpegts.TsStreamType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * HEVC in MPEG-TS (ISO/IEC 13818-1 §2.17), byte for byte: stream_type 0x24 in the PMT, an access unit delimiter
 * before every access unit (as ffmpeg's TS muxer writes it: 46 01 50), the record's VPS, SPS and PPS before a
 * random access picture that lacks them.
 */
@Tag("unit")
class HevcTsTest {

  private static final String VPS = "40010c01ffff01600000030090000003000003003c959009";
  private static final String SPS = "42010101600000030090000003000003003ca00a080f16595912930bc05a020000030002000003003210";
  private static final String PPS = "4401c073c189";
  /** x265's record for 320x240, as ffmpeg 8 sends it in an hvc1 sequence start (HevcConfigTest's). */
  private static final byte[] HVCC = HexFormat.of().parseHex("0101600000009000000000003cf000fcfdf8f800000f0320"
      + "00010018" + VPS + "21000100" + "2a" + SPS + "22000100" + "06" + PPS);
  private static final String DELIMITER = "00000001" + "460150";

  @Test
  void theRecordGivesItsLengthSizeAndItsParameterSetsInOrder() throws Exception {
    HevcParameterSets sets = HevcParameterSets.of(HVCC);
    assertThat(sets.nalLengthSize()).isEqualTo(4);
    assertThat(sets.parameterSets()).extracting(HexFormat.of()::formatHex).containsExactly(VPS, SPS, PPS);
  }

  @Test
  void theProgramMapSaysHevcWithStreamType0x24() {
    ByteBuf out = Unpooled.buffer();
    new TsMuxer(TsStreamType.H265, true).writeTables(out);
    assertThat(ByteBufUtil.hexDump(out, 188, 4 + 1 + 23)).startsWith("475000100002b0170001c10000e100f00024e100f0000fe101f000");
  }

  @Test
  void aRandomAccessPictureGetsTheDelimiterThenVpsSpsAndPps() throws Exception {
    // IDR_W_RADL (type 19) after a prefix SEI (type 39).
    assertThat(accessUnit(true, "4e01aa", "2601bb")).isEqualTo(DELIMITER + "00000001" + VPS + "00000001" + SPS
        + "00000001" + PPS + "000000014e01aa" + "000000012601bb");
    // CRA (type 21) without the keyframe flag still gets them.
    assertThat(accessUnit(false, "2a01cc")).startsWith(DELIMITER + "00000001" + VPS).endsWith("000000012a01cc");
  }

  @Test
  void anInterPictureGetsOnlyTheDelimiterAndItsOwnDelimiterIsReplaced() throws Exception {
    // A trailing picture (type 1) after the encoder's own delimiter (type 35).
    assertThat(accessUnit(false, "460110", "0201dd")).isEqualTo(DELIMITER + "000000010201dd");
  }

  @Test
  void parameterSetsTheAccessUnitCarriesAreNotRepeated() throws Exception {
    assertThat(accessUnit(true, "4001ee", "4201ee", "4401ee", "2601bb")).isEqualTo(DELIMITER + "000000014001ee"
        + "000000014201ee" + "000000014401ee" + "000000012601bb");
  }

  @Test
  void hevcGoesOnlyToAProgramOfHevc() {
    ByteBuf out = Unpooled.buffer();
    assertThatThrownBy(() -> new TsMuxer(true, true).writeVideo(out, 0, 0, true, Unpooled.buffer(),
        HevcParameterSets.of(HVCC))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new TsMuxer(TsStreamType.AAC_ADTS, true)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aBrokenLengthPrefixIsAFormatError() {
    TsMuxer muxer = new TsMuxer(TsStreamType.H265, false);
    ByteBuf out = Unpooled.buffer();
    assertThatThrownBy(() -> muxer.writeVideo(out, 0, 0, true, TsMuxerTest.hex("000000092601"),
        HevcParameterSets.of(HVCC))).isInstanceOf(MediaFormatException.class);
    assertThat(out.readableBytes()).isZero();
  }

  /** The PES payload (after its 19-byte header) of one access unit written with 4-byte NAL lengths. */
  private static String accessUnit(boolean keyframe, String... nals) throws MediaFormatException {
    ByteBuf hvcc = Unpooled.buffer();
    for (String nal : nals) {
      hvcc.writeInt(nal.length() / 2).writeBytes(HexFormat.of().parseHex(nal));
    }
    ByteBuf out = Unpooled.buffer();
    new TsMuxer(TsStreamType.H265, false).writeVideo(out, 1000, 80, keyframe, hvcc, HevcParameterSets.of(HVCC));
    List<byte[]> pes = TsPacket.pes(TsPacket.parse(out), TsMuxer.PID_VIDEO);
    assertThat(HexFormat.of().formatHex(pes.get(0), 0, 4)).isEqualTo("000001e0");
    return HexFormat.of().formatHex(pes.get(0), 19, pes.get(0).length);
  }
}
