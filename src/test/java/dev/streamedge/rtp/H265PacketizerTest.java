package dev.streamedge.rtp;

import static dev.streamedge.rtp.Interleaved.avcc;
import static dev.streamedge.rtp.Interleaved.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.hls.ts.HevcParameterSets;
import dev.streamedge.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** H.265 in RTP (RFC 7798), byte for byte: single NAL unit packets, fragmentation units, parameter sets. */
@Tag("unit")
class H265PacketizerTest {

  static final String VPS = "40010c01ffff01600000030090000003000003003c959009";
  static final String SPS = "42010101600000030090000003000003003ca00a080f16595912930bc05a020000030002000003003210";
  static final String PPS = "4401c073c189";
  /** x265's record for 320x240, as ffmpeg 8 sends it in an hvc1 sequence start (HevcTsTest's). */
  static final String HVCC = "0101600000009000000000003cf000fcfdf8f800000f0320" + "00010018" + VPS + "21000100"
      + "2a" + SPS + "22000100" + "06" + PPS;

  private final ByteBuf out = Unpooled.buffer();

  private static HevcParameterSets sets() throws MediaFormatException {
    return HevcParameterSets.of(HexFormat.of().parseHex(HVCC));
  }

  private static H265Packetizer packetizer(int maxPayload) {
    return new H265Packetizer(new RtpPacketWriter(2, 96, 0xCAFEBABEL, 0x0100), maxPayload);
  }

  @Test
  void smallNalUnitsGoOneAPacketWithTheMarkerOnlyOnTheLast() throws Exception {
    // An AUD (type 35, dropped), a prefix SEI (39), a trailing picture (TRAIL_R, type 1).
    packetizer(1400).frame(out, 0x01020304L, false, avcc("460150", "4e01aa", "0201bbcc"), sets());
    // $, channel 2, length 12 + payload, V=2, M|PT 96, seq, ts, SSRC.
    assertThat(ByteBufUtil.hexDump(out)).isEqualTo(
        "2402000f" + "8060" + "0100" + "01020304" + "cafebabe" + "4e01aa"
        + "24020010" + "80e0" + "0101" + "01020304" + "cafebabe" + "0201bbcc");
  }

  @Test
  void aNalUnitOverTheMaximumGoesInFragmentationUnitsThatReassemble() throws Exception {
    StringBuilder nal = new StringBuilder("2601"); // IDR_W_RADL (19), layer 0, TID 1
    for (int i = 0; i < 30; i++) {
      nal.append(String.format("%02x", i));
    }
    packetizer(16).frame(out, 0, false, avcc(VPS.substring(0, 8), SPS.substring(0, 8), PPS, nal.toString()), sets());
    List<Interleaved> packets = Interleaved.read(out).subList(3, 6);
    // Payload header: type 49 (0x62), layer and TID of the NAL unit (0x01); FU header S|E|type 19 (0x13).
    assertThat(packets).extracting(p -> p.payload().substring(0, 6)).containsExactly("620193", "620113", "620153");
    // 13 bytes of the 30 after the NAL header per fragment.
    assertThat(packets).extracting(p -> p.payload().length() / 2).containsExactly(16, 16, 7);
    assertThat(packets).extracting(Interleaved::marker).containsExactly(false, false, true);
    StringBuilder reassembled = new StringBuilder("2601");
    packets.forEach(p -> reassembled.append(p.payload().substring(6)));
    assertThat(reassembled.toString()).isEqualTo(nal.toString());
  }

  @Test
  void anIrapPictureWithoutParameterSetsGetsTheRecordsVpsSpsAndPpsFirst() throws Exception {
    packetizer(1400).frame(out, 0, false, avcc("2601aa"), sets()); // IDR_W_RADL
    assertThat(Interleaved.read(out)).extracting(Interleaved::payload).containsExactly(VPS, SPS, PPS, "2601aa");
    out.clear();
    packetizer(1400).frame(out, 0, false, avcc("2a01aa"), sets()); // CRA (21)
    assertThat(Interleaved.read(out)).extracting(Interleaved::payload).containsExactly(VPS, SPS, PPS, "2a01aa");
    out.clear();
    packetizer(1400).frame(out, 0, true, avcc("0201aa"), sets()); // flagged keyframe
    assertThat(Interleaved.read(out)).extracting(Interleaved::payload).containsExactly(VPS, SPS, PPS, "0201aa");
  }

  @Test
  void parameterSetsTheAccessUnitCarriesAreNotRepeatedNorAddedToInterPictures() throws Exception {
    packetizer(1400).frame(out, 0, true, avcc("4001ee", "4201ee", "4401ee", "2601bb"), sets());
    assertThat(Interleaved.read(out)).extracting(Interleaved::payload)
        .containsExactly("4001ee", "4201ee", "4401ee", "2601bb");
    out.clear();
    packetizer(1400).frame(out, 0, false, avcc("0201dd"), sets());
    assertThat(Interleaved.read(out)).extracting(Interleaved::payload).containsExactly("0201dd");
  }

  @Test
  void delimitersAndEmptyNalUnitsAreDropped() throws Exception {
    H265Packetizer packetizer = packetizer(1400);
    assertThat(packetizer.frame(out, 0, false, avcc("460150", ""), sets())).isFalse();
    assertThat(out.readableBytes()).isZero();
    packetizer.frame(out, 0, false, avcc("0201dd", "460150"), sets());
    assertThat(Interleaved.read(out)).extracting(Interleaved::marker).containsExactly(true);
  }

  @Test
  void aBrokenLengthPrefixOrANalUnitShorterThanItsHeaderIsAFormatErrorAndWritesNothing() {
    H265Packetizer packetizer = packetizer(1400);
    out.writeByte(0x77);
    assertThatThrownBy(() -> packetizer.frame(out, 0, true, hex("00000003 0201dd 00000009 2601"), sets()))
        .isInstanceOf(MediaFormatException.class);
    assertThatThrownBy(() -> packetizer.frame(out, 0, true, hex("00000003 0201dd 00000001 26"), sets()))
        .isInstanceOf(MediaFormatException.class);
    assertThat(ByteBufUtil.hexDump(out)).isEqualTo("77");
    assertThat(packetizer.writer().nextSequence()).isEqualTo(0x0100);
  }
}
