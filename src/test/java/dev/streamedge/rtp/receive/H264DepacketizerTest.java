package dev.streamedge.rtp.receive;

import static dev.streamedge.rtp.receive.Rtp.hex;
import static dev.streamedge.rtp.receive.Rtp.packet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.media.codec.AvcConfig;
import dev.streamedge.rtp.H264Packetizer;
import dev.streamedge.rtp.RtpPacketWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** H.264 out of RTP (RFC 6184), byte for byte: single NAL unit packets, STAP-A, FU-A, loss, limits, round trips. */
@Tag("unit")
class H264DepacketizerTest {

  /** x264, High profile level 3.0, 640x360 (the packetizer tests' configuration). */
  private static final String SPS = "6764001eacd940a02ff97011000003000100000300320f162d96";
  private static final String PPS = "68ebe3cb22c0";

  private final List<AccessUnit> units = new ArrayList<>();
  private final H264Depacketizer depacketizer = new H264Depacketizer(1 << 20, units::add);

  private List<String> emitted() {
    return units.stream().map(unit -> hex(unit.annexB())).toList();
  }

  @Test
  void singleNalUnitPacketsOfOneTimestampAreOneAccessUnitEndedByTheMarker() {
    depacketizer.packet(packet(1, 3000, false, "06 05 01 02")); // SEI
    assertThat(units).isEmpty();
    depacketizer.packet(packet(2, 3000, true, "41 9a 01")); // non-IDR slice, NRI 2
    assertThat(units).singleElement().satisfies(unit -> {
      assertThat(unit.timestamp()).isEqualTo(3000);
      assertThat(hex(unit.annexB())).isEqualTo("00000001" + "06050102" + "00000001" + "419a01");
      assertThat(unit.annexB().hasArray()).isTrue();
    });
  }

  @Test
  void aStapAWithSeveralNalUnitsIsSplitIntoThem() {
    // §5.7.1: STAP-A header (NRI 3, type 24 = 0x78), then each NAL unit behind its 16-bit size.
    depacketizer.packet(packet(1, 0, true, "78" + "0004 6742c01e" + "0003 68ce3c" + "0003 658880"));
    assertThat(emitted()).containsExactly("00000001" + "6742c01e" + "00000001" + "68ce3c" + "00000001" + "658880");
  }

  @Test
  void fuAFragmentsAreJoinedIntoOneNalUnitWithItsHeaderRebuilt() {
    // §5.8: FU indicator F=0 NRI=3 type 28 (0x7c); FU headers S|type 5 (0x85), type 5, E|type 5 (0x45).
    depacketizer.packet(packet(1, 90_000, false, "7c85 010203"));
    depacketizer.packet(packet(2, 90_000, false, "7c05 040506"));
    depacketizer.packet(packet(3, 90_000, true, "7c45 070809"));
    // The NAL header: F|NRI of the indicator, the type of the FU header (0x65); it is not in the fragments.
    assertThat(emitted()).containsExactly("00000001" + "65" + "010203040506070809");
    assertThat(depacketizer.lost()).isZero();
  }

  @Test
  void theForbiddenBitAndNriComeFromTheFuIndicator() {
    // Indicator F=1 NRI=2 type 28 (0xdc), type 1: header 0xc1.
    depacketizer.packet(packet(1, 0, false, "dc81 aa"));
    depacketizer.packet(packet(2, 0, true, "dc41 bb"));
    assertThat(emitted()).containsExactly("00000001" + "c1" + "aabb");
  }

  @Test
  void aFuAWithBothStartAndEndIsTakenAsAWholeNalUnit() {
    // §5.8 forbids it; a sender that does it still means the NAL unit whole.
    depacketizer.packet(packet(1, 0, true, "7cc5 aabb"));
    assertThat(emitted()).containsExactly("00000001" + "65aabb");
  }

  @Test
  void theNextTimestampEndsAnAccessUnitWhoseMarkerWasLost() {
    depacketizer.packet(packet(1, 3000, false, "419a01"));
    depacketizer.packet(packet(2, 6000, true, "419a02"));
    assertThat(units).extracting(AccessUnit::timestamp).containsExactly(3000L, 6000L);
    assertThat(emitted()).containsExactly("00000001419a01", "00000001419a02");
  }

  @Test
  void aLostFragmentDropsItsNalUnitAndTheRestOfTheAccessUnitIsKept() {
    depacketizer.packet(packet(10, 3000, false, "0605aa"));
    depacketizer.packet(packet(11, 3000, false, "7c85 01"));
    // 12, "7c05 02", is lost.
    depacketizer.packet(packet(13, 3000, false, "7c45 03"));
    depacketizer.packet(packet(14, 3000, true, "0605bb"));
    assertThat(emitted()).containsExactly("00000001" + "0605aa" + "00000001" + "0605bb");
    assertThat(depacketizer.lost()).isEqualTo(1);
    // A gap between whole NAL units drops nothing that came.
    depacketizer.packet(packet(20, 6000, false, "0605cc"));
    depacketizer.packet(packet(22, 6000, true, "419a01"));
    assertThat(emitted()).last().isEqualTo("00000001" + "0605cc" + "00000001" + "419a01");
    assertThat(depacketizer.lost()).isEqualTo(1);
  }

  @Test
  void aContinuationWithoutItsStartIsDroppedAndCountedOnce() {
    // The first packets are the middle and the end of a NAL unit whose start came before we did.
    depacketizer.packet(packet(5, 3000, false, "7c05 02"));
    depacketizer.packet(packet(6, 3000, false, "7c45 03"));
    depacketizer.packet(packet(7, 3000, true, "419a01"));
    assertThat(emitted()).containsExactly("00000001419a01");
    assertThat(depacketizer.lost()).isEqualTo(1);
  }

  @Test
  void aFragmentedNalUnitThatNeverEndsIsDroppedWhenItsAccessUnitEnds() {
    depacketizer.packet(packet(1, 3000, false, "0605aa"));
    depacketizer.packet(packet(2, 3000, true, "7c85 01"));
    assertThat(emitted()).containsExactly("000000010605aa");
    assertThat(depacketizer.lost()).isEqualTo(1);
  }

  @Test
  void sequenceNumbersWrapFrom65535To0WithoutAGap() {
    depacketizer.packet(packet(0xFFFE, 3000, false, "7c85 01"));
    depacketizer.packet(packet(0xFFFF, 3000, false, "7c05 02"));
    depacketizer.packet(packet(0, 3000, true, "7c45 03"));
    assertThat(emitted()).containsExactly("0000000165010203");
    assertThat(depacketizer.lost()).isZero();
  }

  @Test
  void aGapAcrossTheWrapIsAGap() {
    depacketizer.packet(packet(0xFFFF, 3000, false, "7c85 01"));
    depacketizer.packet(packet(1, 3000, true, "7c45 03"));
    assertThat(units).isEmpty();
    assertThat(depacketizer.lost()).isEqualTo(1);
  }

  @Test
  void timestampsWrapAt32Bits() {
    depacketizer.packet(packet(1, 0xFFFF_FFFFL, true, "419a01"));
    depacketizer.packet(packet(2, 2999, true, "419a02"));
    assertThat(units).extracting(AccessUnit::timestamp).containsExactly(0xFFFF_FFFFL, 2999L);
  }

  @Test
  void anAccessUnitOverTheMaximumIsDroppedWholeAndItsOtherPacketsIgnored() {
    H264Depacketizer small = new H264Depacketizer(16, units::add);
    small.packet(packet(1, 3000, false, "0605aa")); // 7 bytes with its start code
    small.packet(packet(2, 3000, false, "419a0102030405")); // 11 more: 18
    small.packet(packet(3, 3000, false, "4101")); // fits, but its unit is gone
    small.packet(packet(4, 3000, true, "4102"));
    assertThat(units).isEmpty();
    assertThat(small.oversized()).isEqualTo(1);
    // The next access unit is read again; exactly the maximum is kept.
    small.packet(packet(5, 6000, false, "0605aa"));
    small.packet(packet(6, 6000, true, "419a010203"));
    assertThat(emitted()).containsExactly("00000001" + "0605aa" + "00000001" + "419a010203");
    assertThat(units.get(0).annexB().readableBytes()).isEqualTo(16);
  }

  @Test
  void aFragmentedNalUnitOverTheMaximumDropsItsAccessUnit() {
    H264Depacketizer small = new H264Depacketizer(16, units::add);
    small.packet(packet(1, 3000, false, "7c85 0102030405")); // 4 + 1 + 5
    small.packet(packet(2, 3000, false, "7c05 0607080910")); // 15
    small.packet(packet(3, 3000, true, "7c45 111213")); // 18
    small.packet(packet(4, 6000, true, "419a"));
    assertThat(emitted()).containsExactly("00000001419a");
    assertThat(units.get(0).timestamp()).isEqualTo(6000);
    assertThat(small.oversized()).isEqualTo(1);
    assertThat(small.lost()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "empty payload, ''",
      "NAL type 0, 00aa",
      "STAP-B, 19000002aa0002",
      "MTAP16, 1a0000",
      "MTAP24, 1b0000",
      "FU-B, 1d850001aa",
      "type 30, 1eaa",
      "type 31, 1faa",
      "FU-A without its FU header, 7c",
      "FU-A of type 0, 7c80aa",
      "FU-A of type 24, 7c98aa",
      "STAP-A without a NAL unit, 78",
      "STAP-A size past the end, 7800056742",
      "STAP-A of an empty NAL unit, 780000",
      "STAP-A with a byte after its last NAL unit, 780002674200",
  })
  void interleavedModeUndefinedAndBrokenPayloadsAreDroppedAsMalformed(String what, String payload) {
    depacketizer.packet(packet(1, 3000, false, payload));
    depacketizer.packet(packet(2, 3000, true, "419a01"));
    assertThat(emitted()).containsExactly("00000001419a01");
    assertThat(depacketizer.malformed()).isEqualTo(1);
    assertThat(depacketizer.lost()).isZero();
  }

  @Test
  void anAccessUnitOfNothingValidIsNotEmitted() {
    depacketizer.packet(packet(1, 3000, true, "1faa"));
    depacketizer.packet(packet(2, 6000, false, "7c45 03"));
    depacketizer.flush();
    assertThat(units).isEmpty();
  }

  @Test
  void flushEmitsThePendingAccessUnitAtTheEndOfTheStream() {
    depacketizer.packet(packet(1, 3000, false, "419a01"));
    assertThat(units).isEmpty();
    depacketizer.flush();
    assertThat(emitted()).containsExactly("00000001419a01");
    depacketizer.flush();
    assertThat(units).hasSize(1);
  }

  @Test
  void paddingAnExtensionAndCsrcsAroundAFragmentAreNotPartOfIt() throws Exception {
    // P, X, CC=1: a CSRC, an extension of one word, then the FU-A, then 2 bytes of padding.
    depacketizer.packet(RtpPacket.parse(hex("b160" + "0001" + "00000bb8" + "11223344" + "aaaaaaaa"
        + "bede0001" + "10ff0000" + "7c85" + "0102" + "0002")));
    depacketizer.packet(RtpPacket.parse(hex("80e0" + "0002" + "00000bb8" + "11223344" + "7c45" + "0304")));
    assertThat(emitted()).containsExactly("00000001" + "65" + "01020304");
  }

  @Test
  void whatOurPacketizerWritesIsReadBackIntoTheSameNalUnits() throws Exception {
    AvcConfig config = new AvcConfig(100, 30, 4, List.of(HexFormat.of().parseHex(SPS)),
        List.of(HexFormat.of().parseHex(PPS)), 640, 360);
    // 100-byte payloads cut most NAL units into FU-A fragments; the sequence numbers and timestamps wrap.
    H264Packetizer packetizer = new H264Packetizer(new RtpPacketWriter(0, 96, Rtp.SSRC, 0xFFF0), 100);
    Random random = new Random(6184);
    ByteBuf out = Unpooled.buffer();
    List<String> expected = new ArrayList<>();
    List<Long> timestamps = new ArrayList<>();
    for (int frame = 0; frame < 40; frame++) {
      boolean keyframe = frame % 10 == 0;
      List<byte[]> nalUnits = new ArrayList<>();
      if (random.nextBoolean()) {
        nalUnits.add(nal(random, 0x06, 1 + random.nextInt(30))); // SEI
      }
      for (int slice = 0; slice < 1 + random.nextInt(3); slice++) {
        nalUnits.add(nal(random, keyframe ? 0x65 : 0x41, 1 + random.nextInt(600)));
      }
      long timestamp = (0xFFFF_0000L + frame * 3000L) & 0xFFFF_FFFFL;
      packetizer.frame(out, timestamp, keyframe, Rtp.avcc(nalUnits), config);
      List<byte[]> sent = new ArrayList<>();
      if (keyframe) {
        sent.addAll(config.sps()); // the packetizer puts SPS and PPS before a keyframe that has none
        sent.addAll(config.pps());
      }
      sent.addAll(nalUnits);
      expected.add(Rtp.annexB(sent));
      timestamps.add(timestamp);
    }
    List<RtpPacket> packets = Rtp.interleaved(out);
    assertThat(packets).extracting(RtpPacket::sequence).contains(0xFFFF, 0);
    assertThat(packets).extracting(RtpPacket::payload).anyMatch(p -> (p.getByte(0) & 0x1F) == 28);
    packets.forEach(depacketizer::packet);
    assertThat(emitted()).containsExactlyElementsOf(expected);
    assertThat(units).extracting(AccessUnit::timestamp).containsExactlyElementsOf(timestamps);
    assertThat(depacketizer.lost() + depacketizer.oversized() + depacketizer.malformed()).isZero();
  }

  @Test
  void ffmpegsRecordIsReadBackIntoTheNalUnitsOfTheFileItSent() throws Exception {
    List<RtpPacket> packets = Rtp.recorded("h264");
    // ffmpeg aggregates the small NAL units (SPS, PPS, SEI) in STAP-A and cuts the slices into FU-A.
    assertThat(packets).extracting(p -> p.payload().getByte(0) & 0x1F).contains(24, 28);
    packets.forEach(depacketizer::packet);
    depacketizer.flush();
    ByteBuf all = Unpooled.buffer();
    units.forEach(unit -> all.writeBytes(unit.annexB()));
    assertThat(Rtp.nalUnits(ByteBufUtil.getBytes(all))).containsExactlyElementsOf(
        Rtp.nalUnits(Rtp.resource("h264.h264")));
    // Five pictures 3600 ticks (40 ms) apart, in decoding order (B-frames: not in time order).
    List<Long> times = units.stream().map(AccessUnit::timestamp).sorted().toList();
    assertThat(times).hasSize(5).allMatch(time -> (time - times.get(0)) % 3600 == 0).doesNotHaveDuplicates();
    assertThat(units).extracting(AccessUnit::timestamp).isNotEqualTo(times);
    assertThat(depacketizer.lost() + depacketizer.oversized() + depacketizer.malformed()).isZero();
  }

  /** A NAL unit: its header, then {@code length - 1} random bytes. */
  static byte[] nal(Random random, int header, int length) {
    byte[] nal = new byte[length];
    random.nextBytes(nal);
    nal[0] = (byte) header;
    return nal;
  }
}
