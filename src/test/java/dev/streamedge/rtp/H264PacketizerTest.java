package dev.streamedge.rtp;

import static dev.streamedge.rtp.Interleaved.avcc;
import static dev.streamedge.rtp.Interleaved.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.codec.AvcConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** H.264 in RTP (RFC 6184), byte for byte: single NAL unit packets, FU-A, parameter sets before keyframes. */
@Tag("unit")
class H264PacketizerTest {

  /** x264, High profile level 3.0, 640x360. */
  static final String SPS = "6764001eacd940a02ff97011000003000100000300320f162d96";
  static final String PPS = "68ebe3cb22c0";
  static final AvcConfig CONFIG = new AvcConfig(100, 30, 4, List.of(HexFormat.of().parseHex(SPS)),
      List.of(HexFormat.of().parseHex(PPS)), 640, 360);

  private final ByteBuf out = Unpooled.buffer();

  private static H264Packetizer packetizer(int sequence, int maxPayload) {
    return new H264Packetizer(new RtpPacketWriter(0, 96, 0x11223344L, sequence), maxPayload);
  }

  @Test
  void smallNalUnitsGoOneAPacketWithTheMarkerOnlyOnTheLast() throws Exception {
    // An AUD (dropped), an SEI, a non-IDR slice with NRI 2.
    boolean written = packetizer(0x1234, 1400).frame(out, 0x00ABCDEFL, false,
        avcc("0910", "06050102", "419a01"), CONFIG);
    assertThat(written).isTrue();
    // $, channel 0, RTP length 12 + payload; V=2 (0x80); M=0 PT=96 (0x60) or M=1 (0xe0); seq; ts; SSRC.
    assertThat(ByteBufUtil.hexDump(out)).isEqualTo(
        "24000010" + "8060" + "1234" + "00abcdef" + "11223344" + "06050102"
        + "2400000f" + "80e0" + "1235" + "00abcdef" + "11223344" + "419a01");
  }

  @Test
  void aNalUnitOverTheMaximumGoesInFuAFragmentsThatReassemble() throws Exception {
    StringBuilder nal = new StringBuilder("41"); // F=0, NRI=2, type 1
    for (int i = 0; i < 39; i++) {
      nal.append(String.format("%02x", i));
    }
    // 16 bytes of payload: FU indicator, FU header, 14 bytes of the NAL unit's 39 after its header.
    packetizer(7, 16).frame(out, 90_000, false, avcc(nal.toString()), CONFIG);
    List<Interleaved> packets = Interleaved.read(out);
    assertThat(packets).extracting(p -> p.payload().substring(0, 4))
        // Indicator 0x5c: F=0, NRI=2 (0x40), type 28. Headers: S + type 1, type 1, E + type 1.
        .containsExactly("5c81", "5c01", "5c41");
    assertThat(packets).extracting(p -> p.payload().length() / 2).containsExactly(16, 16, 13);
    assertThat(packets).extracting(Interleaved::marker).containsExactly(false, false, true);
    assertThat(packets).extracting(Interleaved::sequence).containsExactly(7, 8, 9);
    assertThat(packets).extracting(Interleaved::timestamp).containsOnly(90_000L);
    // Reassembly (§5.8): the NAL header from the indicator's F|NRI and the FU header's type, then the fragments.
    StringBuilder reassembled = new StringBuilder("41");
    packets.forEach(p -> reassembled.append(p.payload().substring(4)));
    assertThat(reassembled.toString()).isEqualTo(nal.toString());
  }

  @Test
  void aFragmentedNalUnitThatIsNotLastLeavesTheMarkerToTheLastPacket() throws Exception {
    String big = "65" + "ff".repeat(20); // IDR, NRI 3
    packetizer(0, 16).frame(out, 0, true, avcc(SPS, PPS, big, "6588"), CONFIG);
    List<Interleaved> packets = Interleaved.read(out);
    assertThat(packets).extracting(Interleaved::marker).containsExactly(false, false, false, false, false, true);
    // SPS of 26 bytes is fragmented too: indicator 0x67 & 0xe0 | 28 = 0x7c.
    assertThat(packets).extracting(p -> p.payload().substring(0, 4))
        .containsExactly("7c87", "7c47", PPS.substring(0, 4), "7c85", "7c45", "6588");
  }

  @Test
  void aKeyframeWithoutSpsGetsTheConfigurationsSpsAndPpsFirst() throws Exception {
    packetizer(0, 1400).frame(out, 0, true, avcc("0910", "65888000"), CONFIG);
    List<Interleaved> packets = Interleaved.read(out);
    assertThat(packets).extracting(Interleaved::payload).containsExactly(SPS, PPS, "65888000");
    assertThat(packets).extracting(Interleaved::marker).containsExactly(false, false, true);
  }

  @Test
  void anIdrSliceGetsThemEvenWithoutTheKeyframeFlag() throws Exception {
    packetizer(0, 1400).frame(out, 0, false, avcc("65888000"), CONFIG);
    assertThat(Interleaved.read(out)).extracting(Interleaved::payload).containsExactly(SPS, PPS, "65888000");
  }

  @Test
  void aKeyframeCarryingItsSpsIsNotGivenAnother() throws Exception {
    packetizer(0, 1400).frame(out, 0, true, avcc("67aa", "68bb", "65888000"), CONFIG);
    assertThat(Interleaved.read(out)).extracting(Interleaved::payload).containsExactly("67aa", "68bb", "65888000");
  }

  @Test
  void anInterFrameIsNotGivenParameterSets() throws Exception {
    packetizer(0, 1400).frame(out, 0, false, avcc("419a01"), CONFIG);
    assertThat(Interleaved.read(out)).extracting(Interleaved::payload).containsExactly("419a01");
  }

  @Test
  void delimitersAndEmptyNalUnitsAreDroppedAndAUnitOfNothingElseWritesNothing() throws Exception {
    H264Packetizer packetizer = packetizer(5, 1400);
    assertThat(packetizer.frame(out, 0, false, avcc("0910", ""), CONFIG)).isFalse();
    assertThat(out.readableBytes()).isZero();
    assertThat(packetizer.writer().nextSequence()).isEqualTo(5);
    packetizer.frame(out, 0, false, avcc("", "419a01", "09f0"), CONFIG);
    List<Interleaved> packets = Interleaved.read(out);
    assertThat(packets).extracting(Interleaved::payload).containsExactly("419a01");
    assertThat(packets.get(0).marker()).isTrue();
  }

  @Test
  void theSequenceNumberWrapsAt65535() throws Exception {
    H264Packetizer packetizer = packetizer(0xFFFF, 1400);
    packetizer.frame(out, 0, false, avcc("0605", "419a01"), CONFIG);
    assertThat(Interleaved.read(out)).extracting(Interleaved::sequence).containsExactly(0xFFFF, 0);
    assertThat(packetizer.writer().nextSequence()).isEqualTo(1);
    assertThat(packetizer.writer().packets()).isEqualTo(2);
    assertThat(packetizer.writer().octets()).isEqualTo(2 + 3);
  }

  @Test
  void otherLengthSizesAreRead() throws Exception {
    AvcConfig twoBytes = new AvcConfig(100, 30, 2, CONFIG.sps(), CONFIG.pps(), 640, 360);
    packetizer(0, 1400).frame(out, 0, false, hex("0003 419a01 0002 0605"), twoBytes);
    assertThat(Interleaved.read(out)).extracting(Interleaved::payload).containsExactly("419a01", "0605");
  }

  @Test
  void aLengthPrefixPastTheEndIsAFormatErrorAndWritesNothing() {
    H264Packetizer packetizer = packetizer(3, 1400);
    out.writeShort(0xabcd);
    // A good NAL unit first: nothing of the frame is written all the same.
    assertThatThrownBy(() -> packetizer.frame(out, 0, true, hex("00000003 419a01 0000000a 41"), CONFIG))
        .isInstanceOf(MediaFormatException.class);
    assertThatThrownBy(() -> packetizer.frame(out, 0, true, hex("00000003 419a01 0000"), CONFIG))
        .isInstanceOf(MediaFormatException.class);
    assertThat(ByteBufUtil.hexDump(out)).isEqualTo("abcd");
    assertThat(packetizer.writer().nextSequence()).isEqualTo(3);
    assertThat(packetizer.writer().packets()).isZero();
  }
}
