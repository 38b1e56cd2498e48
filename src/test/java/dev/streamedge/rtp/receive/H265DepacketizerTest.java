package dev.streamedge.rtp.receive;

import static dev.streamedge.rtp.receive.Rtp.hex;
import static dev.streamedge.rtp.receive.Rtp.packet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.hls.ts.HevcParameterSets;
import dev.streamedge.rtp.H265Packetizer;
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

/** H.265 out of RTP (RFC 7798), byte for byte: single NAL unit packets, APs, FUs, loss, limits, round trips. */
@Tag("unit")
class H265DepacketizerTest {

  /** x265's for 320x240 (the packetizer tests' parameter sets). */
  private static final String VPS = "40010c01ffff01600000030090000003000003003c959009";
  private static final String SPS = "42010101600000030090000003000003003ca00a080f16595912930bc05a020000030002000003003210";
  private static final String PPS = "4401c073c189";

  private final List<AccessUnit> units = new ArrayList<>();
  private final H265Depacketizer depacketizer = new H265Depacketizer(1 << 20, units::add);

  private List<String> emitted() {
    return units.stream().map(unit -> hex(unit.annexB())).toList();
  }

  @Test
  void singleNalUnitPacketsOfOneTimestampAreOneAccessUnitEndedByTheMarker() {
    // §4.4.1: a prefix SEI (type 39: 0x4e), then an IDR_W_RADL (type 19: 0x26), layer 0, TID 1.
    depacketizer.packet(packet(1, 3000, false, "4e01 aa"));
    assertThat(units).isEmpty();
    depacketizer.packet(packet(2, 3000, true, "2601 bbcc"));
    assertThat(emitted()).containsExactly("00000001" + "4e01aa" + "00000001" + "2601bbcc");
    assertThat(units.get(0).timestamp()).isEqualTo(3000);
  }

  @Test
  void anAggregationPacketWithSeveralNalUnitsIsSplitIntoThem() {
    // §4.4.2: payload header type 48 (0x60), TID 1; each NAL unit behind its 16-bit size; no DONL.
    depacketizer.packet(packet(1, 0, true, "6001" + "0004 40010c01" + "0004 42010101" + "0003 4401c0"));
    assertThat(emitted()).containsExactly("00000001" + "40010c01" + "00000001" + "42010101" + "00000001" + "4401c0");
  }

  @Test
  void fragmentationUnitsAreJoinedIntoOneNalUnitWithItsHeaderRebuilt() {
    // §4.4.3: payload header type 49 (0x62), TID 1; FU headers S|19 (0x93), 19, E|19 (0x53).
    depacketizer.packet(packet(1, 90_000, false, "6201 93 010203"));
    depacketizer.packet(packet(2, 90_000, false, "6201 13 040506"));
    depacketizer.packet(packet(3, 90_000, true, "6201 53 0708"));
    assertThat(emitted()).containsExactly("00000001" + "2601" + "0102030405060708");
    assertThat(depacketizer.lost()).isZero();
  }

  @Test
  void theRebuiltHeaderKeepsTheForbiddenBitLayerIdAndTid() {
    // 0x63 0x05: F=0, type 49, LayerId 32 (its high bit in the first byte), TID 5; FuType 1: 0x03 0x05.
    depacketizer.packet(packet(1, 0, false, "6305 81 aa"));
    depacketizer.packet(packet(2, 0, true, "6305 41 bb"));
    // 0xe2 0x01: F=1, type 49; FuType 1: 0x82 0x01.
    depacketizer.packet(packet(3, 3000, false, "e201 81 cc"));
    depacketizer.packet(packet(4, 3000, true, "e201 41 dd"));
    assertThat(emitted()).containsExactly("00000001" + "0305" + "aabb", "00000001" + "8201" + "ccdd");
  }

  @Test
  void aLostFragmentAcrossTheSequenceWrapDropsItsNalUnitOnly() {
    depacketizer.packet(packet(0xFFFE, 3000, false, "4001 aa"));
    depacketizer.packet(packet(0xFFFF, 3000, false, "6201 93 01"));
    // 0, a middle fragment, is lost.
    depacketizer.packet(packet(1, 3000, false, "6201 13 03"));
    depacketizer.packet(packet(2, 3000, false, "6201 53 04"));
    depacketizer.packet(packet(3, 3000, true, "0201 ee"));
    assertThat(emitted()).containsExactly("00000001" + "4001aa" + "00000001" + "0201ee");
    assertThat(depacketizer.lost()).isEqualTo(1);
  }

  @Test
  void theNextTimestampEndsAnAccessUnitWhoseMarkerWasLostAndTimestampsWrap() {
    depacketizer.packet(packet(1, 0xFFFF_FFFFL, false, "0201 aa"));
    depacketizer.packet(packet(2, 2999, true, "0201 bb"));
    assertThat(units).extracting(AccessUnit::timestamp).containsExactly(0xFFFF_FFFFL, 2999L);
    assertThat(emitted()).containsExactly("000000010201aa", "000000010201bb");
  }

  @Test
  void anAccessUnitOverTheMaximumIsDroppedWholeAndItsOtherPacketsIgnored() {
    H265Depacketizer small = new H265Depacketizer(16, units::add);
    small.packet(packet(1, 3000, false, "6201 93 0102030405")); // 4 + 2 + 5
    small.packet(packet(2, 3000, false, "6201 53 060708090a0b")); // 17
    small.packet(packet(3, 3000, true, "0201")); // fits, but its unit is gone
    small.packet(packet(4, 6000, true, "6001 0004 4001aabb 0004 4201ccdd")); // exactly 16
    assertThat(emitted()).containsExactly("00000001" + "4001aabb" + "00000001" + "4201ccdd");
    assertThat(small.oversized()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "empty payload, ''",
      "one byte, 26",
      "PACI, 6401aa",
      "type 51, 6601aa",
      "type 63, 7e01aa",
      "FU without its FU header, 6201",
      "FU of FuType 48, 6201b0aa",
      "FU of FuType 49, 6201b1aa",
      "AP without a NAL unit, 6001",
      "AP size past the end, 600100054001",
      "AP NAL unit shorter than its header, 6001000140",
      "AP with a byte after its last NAL unit, 60010002400100",
  })
  void paciUndefinedAndBrokenPayloadsAreDroppedAsMalformed(String what, String payload) {
    depacketizer.packet(packet(1, 3000, false, payload));
    depacketizer.packet(packet(2, 3000, true, "0201aa"));
    assertThat(emitted()).containsExactly("000000010201aa");
    assertThat(depacketizer.malformed()).isEqualTo(1);
  }

  @Test
  void flushEmitsThePendingAccessUnitAndNothingValidEmitsNothing() {
    depacketizer.packet(packet(1, 3000, true, "6401aa"));
    depacketizer.packet(packet(2, 6000, false, "0201aa"));
    depacketizer.flush();
    assertThat(emitted()).containsExactly("000000010201aa");
    assertThat(units.get(0).timestamp()).isEqualTo(6000);
  }

  @Test
  void whatOurPacketizerWritesIsReadBackIntoTheSameNalUnits() throws Exception {
    HexFormat hex = HexFormat.of();
    HevcParameterSets sets = new HevcParameterSets(4, List.of(hex.parseHex(VPS), hex.parseHex(SPS),
        hex.parseHex(PPS)));
    // 80-byte payloads cut most NAL units into FUs; the sequence numbers and timestamps wrap.
    H265Packetizer packetizer = new H265Packetizer(new RtpPacketWriter(0, 96, Rtp.SSRC, 0xFFF8), 80);
    Random random = new Random(7798);
    ByteBuf out = Unpooled.buffer();
    List<String> expected = new ArrayList<>();
    List<Long> timestamps = new ArrayList<>();
    for (int frame = 0; frame < 40; frame++) {
      boolean keyframe = frame % 10 == 0;
      List<byte[]> nalUnits = new ArrayList<>();
      if (random.nextBoolean()) {
        nalUnits.add(nal(random, 0x4e01, 2 + random.nextInt(30))); // prefix SEI
      }
      for (int slice = 0; slice < 1 + random.nextInt(3); slice++) {
        nalUnits.add(nal(random, keyframe ? 0x2601 : 0x0201, 2 + random.nextInt(600)));
      }
      long timestamp = (0xFFFF_0000L + frame * 3000L) & 0xFFFF_FFFFL;
      packetizer.frame(out, timestamp, keyframe, Rtp.avcc(nalUnits), sets);
      List<byte[]> sent = new ArrayList<>();
      if (keyframe) {
        sent.addAll(sets.parameterSets()); // the packetizer puts VPS, SPS and PPS before an IRAP picture
      }
      sent.addAll(nalUnits);
      expected.add(Rtp.annexB(sent));
      timestamps.add(timestamp);
    }
    List<RtpPacket> packets = Rtp.interleaved(out);
    assertThat(packets).extracting(RtpPacket::sequence).contains(0xFFFF, 0);
    assertThat(packets).extracting(RtpPacket::payload).anyMatch(p -> (p.getByte(0) >> 1 & 0x3F) == 49);
    packets.forEach(depacketizer::packet);
    assertThat(emitted()).containsExactlyElementsOf(expected);
    assertThat(units).extracting(AccessUnit::timestamp).containsExactlyElementsOf(timestamps);
    assertThat(depacketizer.lost() + depacketizer.oversized() + depacketizer.malformed()).isZero();
  }

  @Test
  void ffmpegsRecordIsReadBackIntoTheNalUnitsOfTheFileItSent() throws Exception {
    List<RtpPacket> packets = Rtp.recorded("hevc");
    // ffmpeg aggregates the parameter sets in APs and cuts the slices into FUs.
    assertThat(packets).extracting(p -> p.payload().getByte(0) >> 1 & 0x3F).contains(48, 49);
    packets.forEach(depacketizer::packet);
    depacketizer.flush();
    ByteBuf all = Unpooled.buffer();
    units.forEach(unit -> all.writeBytes(unit.annexB()));
    assertThat(Rtp.nalUnits(ByteBufUtil.getBytes(all))).containsExactlyElementsOf(
        Rtp.nalUnits(Rtp.resource("hevc.h265")));
    // Five pictures 3600 ticks (40 ms) apart, in decoding order (B-frames: not in time order).
    List<Long> times = units.stream().map(AccessUnit::timestamp).sorted().toList();
    assertThat(times).hasSize(5).allMatch(time -> (time - times.get(0)) % 3600 == 0).doesNotHaveDuplicates();
    assertThat(units).extracting(AccessUnit::timestamp).isNotEqualTo(times);
    assertThat(depacketizer.lost() + depacketizer.oversized() + depacketizer.malformed()).isZero();
  }

  /** A NAL unit: its 2-byte header, then {@code length - 2} random bytes. */
  private static byte[] nal(Random random, int header, int length) {
    byte[] nal = new byte[length];
    random.nextBytes(nal);
    nal[0] = (byte) (header >> 8);
    nal[1] = (byte) header;
    return nal;
  }
}
