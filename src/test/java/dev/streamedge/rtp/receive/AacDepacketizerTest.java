package dev.streamedge.rtp.receive;

import static dev.streamedge.rtp.receive.Rtp.hex;
import static dev.streamedge.rtp.receive.Rtp.packet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.rtp.AacPacketizer;
import dev.streamedge.rtp.RtpPacketWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** AAC out of RTP (RFC 3640), byte for byte: AU headers, several units a packet, fragments, loss, limits. */
@Tag("unit")
class AacDepacketizerTest {

  /** The fmtp ffmpeg 8 announces for AAC (SdpDescriptionTest's), keys lower-cased. */
  private static final Map<String, String> FFMPEG_FMTP = Map.of("profile-level-id", "1", "mode", "AAC-hbr",
      "sizelength", "13", "indexlength", "3", "indexdeltalength", "3", "config", "120856E500");

  private final List<AacFrame> frames = new ArrayList<>();

  /** AAC-hbr: 13 bits of AU-size, 3 of AU-Index and AU-Index-delta, 1024 samples a frame. */
  private AacDepacketizer hbr(int maxFrameSize) {
    return new AacDepacketizer(13, 3, 3, 1024, maxFrameSize, frames::add);
  }

  private List<String> emitted() {
    return frames.stream().map(frame -> hex(frame.raw())).toList();
  }

  @Test
  void anAccessUnitBehindItsAuHeader() {
    // §3.3.6: AU-headers-length 16 bits, AU-size 3 << 3 | AU-Index 0 = 0x0018, then the unit.
    hbr(8191).packet(packet(7, 0x12345678L, true, "0010" + "0018" + "211122"));
    assertThat(emitted()).containsExactly("211122");
    assertThat(frames.get(0).timestamp()).isEqualTo(0x12345678L);
    assertThat(frames.get(0).raw().hasArray()).isTrue();
  }

  @Test
  void severalAccessUnitsInOnePacketGetTimestampsAFrameApartAndWrap() {
    // Three AU-headers (48 bits): sizes 2, 3 and 1, AU-Index-delta 0 (consecutive units).
    hbr(8191).packet(packet(1, 0xFFFF_F800L, true, "0030" + "0010" + "0018" + "0008" + "aabb" + "ccddee" + "ff"));
    assertThat(emitted()).containsExactly("aabb", "ccddee", "ff");
    assertThat(frames).extracting(AacFrame::timestamp).containsExactly(0xFFFF_F800L, 0xFFFF_FC00L, 0L);
  }

  @Test
  void aacLbrHeadersAreAByteEach() {
    // §3.3.5: sizelength 6, indexlength 2, indexdeltalength 2: AU-size 2 << 2 = 0x08, 3 << 2 = 0x0c.
    new AacDepacketizer(6, 2, 2, 1024, 63, frames::add).packet(packet(1, 0, true, "0010" + "080c" + "aabb" + "ccddee"));
    assertThat(emitted()).containsExactly("aabb", "ccddee");
  }

  @Test
  void headersEndingWithinAByteArePaddedToIt() {
    // sizelength 13 alone: two headers are 26 bits (0x001a): 0000000000010 0000000000001, then 6 bits of padding.
    new AacDepacketizer(13, 0, 0, 1024, 8191, frames::add).packet(packet(1, 0, true, "001a" + "00100040" + "aabb" + "cc"));
    assertThat(emitted()).containsExactly("aabb", "cc");
  }

  @Test
  void anInterleavingSendersUnitsGetTheirTimeFromTheirIndex() {
    // The second unit's AU-Index-delta is 2: it is the third frame after the first (index + delta + 1).
    hbr(8191).packet(packet(1, 0, true, "0020" + "0008" + "000a" + "aa" + "bb"));
    assertThat(frames).extracting(AacFrame::timestamp).containsExactly(0L, 3 * 1024L);
  }

  @Test
  void aFragmentedAccessUnitIsJoinedFromThePacketsOfItsTimestamp() {
    AacDepacketizer depacketizer = hbr(8191);
    // §3.2.3: one AU-header each, AU-size the whole unit's (10: 0x0050), the last fragment with the marker.
    depacketizer.packet(packet(0xFFFF, 4096, false, "0010 0050 0102030405"));
    depacketizer.packet(packet(0, 4096, false, "0010 0050 060708"));
    assertThat(frames).isEmpty();
    depacketizer.packet(packet(1, 4096, true, "0010 0050 090a"));
    assertThat(emitted()).containsExactly("0102030405060708090a");
    assertThat(frames.get(0).timestamp()).isEqualTo(4096);
    assertThat(depacketizer.lost()).isZero();
  }

  @Test
  void aLostFragmentDropsItsAccessUnitAndTheRestOfItsPacketsAreIgnored() {
    AacDepacketizer depacketizer = hbr(8191);
    depacketizer.packet(packet(1, 4096, false, "0010 0050 0102030405"));
    // 2 is lost; 3 is the unit's last fragment.
    depacketizer.packet(packet(3, 4096, true, "0010 0050 090a"));
    depacketizer.packet(packet(4, 5120, true, "0010 0010 aabb"));
    assertThat(emitted()).containsExactly("aabb");
    assertThat(depacketizer.lost()).isEqualTo(1);
    // A unit cut short by the next timestamp is lost too.
    depacketizer.packet(packet(5, 6144, false, "0010 0050 0102030405"));
    depacketizer.packet(packet(6, 7168, true, "0010 0008 cc"));
    assertThat(emitted()).containsExactly("aabb", "cc");
    assertThat(depacketizer.lost()).isEqualTo(2);
    assertThat(depacketizer.malformed()).isZero();
  }

  @Test
  void aFragmentedAccessUnitWhoseStartWasMissedIsDroppedAtItsMarker() {
    AacDepacketizer depacketizer = hbr(8191);
    depacketizer.packet(packet(9, 4096, true, "0010 0050 090a"));
    depacketizer.packet(packet(10, 5120, true, "0010 0008 cc"));
    assertThat(emitted()).containsExactly("cc");
    assertThat(depacketizer.lost()).isEqualTo(1);
  }

  @Test
  void aFragmentedAccessUnitOverTheMaximumIsDroppedWithItsOtherFragments() {
    AacDepacketizer depacketizer = hbr(8);
    depacketizer.packet(packet(1, 4096, false, "0010 0050 0102030405"));
    depacketizer.packet(packet(2, 4096, true, "0010 0050 060708090a"));
    depacketizer.packet(packet(3, 5120, true, "0010 0040 0102030405060708")); // exactly the maximum
    assertThat(emitted()).containsExactly("0102030405060708");
    assertThat(depacketizer.oversized()).isEqualTo(1);
    assertThat(depacketizer.malformed() + depacketizer.lost()).isZero();
  }

  @Test
  void aWholeAccessUnitOverTheMaximumIsDroppedAloneFromItsPacket() {
    AacDepacketizer depacketizer = hbr(2);
    depacketizer.packet(packet(1, 0, true, "0030" + "0010" + "0018" + "0008" + "aabb" + "ccddee" + "ff"));
    assertThat(emitted()).containsExactly("aabb", "ff");
    assertThat(frames).extracting(AacFrame::timestamp).containsExactly(0L, 2048L);
    assertThat(depacketizer.oversized()).isEqualTo(1);
  }

  @Test
  void emptyAccessUnitsAreSkipped() {
    hbr(8191).packet(packet(1, 0, true, "0020" + "0000" + "0008" + "aa"));
    assertThat(emitted()).containsExactly("aa");
    assertThat(frames.get(0).timestamp()).isEqualTo(1024);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "empty payload, ''",
      "one byte, 00",
      "no AU-header, 0000aa",
      "headers not a whole number of AU-headers, 0011001800aa",
      "header section past the payload, 00200010",
      "units past the payload, 0020 0010 0018 aabbcc",
  })
  void headersThatDoNotFitTheirFieldsOrThePayloadAreMalformed(String what, String payload) {
    AacDepacketizer depacketizer = hbr(8191);
    depacketizer.packet(packet(1, 0, true, payload));
    depacketizer.packet(packet(2, 1024, true, "0010 0008 aa"));
    assertThat(emitted()).containsExactly("aa");
    assertThat(depacketizer.malformed()).isEqualTo(1);
  }

  @Test
  void aFragmentOfAnotherSizeOrPastItsUnitIsMalformed() {
    AacDepacketizer depacketizer = hbr(8191);
    depacketizer.packet(packet(1, 0, false, "0010 0050 0102030405"));
    depacketizer.packet(packet(2, 0, true, "0010 0048 060708")); // AU-size 9, not 10
    depacketizer.packet(packet(3, 1024, false, "0010 0050 0102030405"));
    depacketizer.packet(packet(4, 1024, false, "0010 0050 060708090a0b")); // 11 bytes of 10
    depacketizer.packet(packet(5, 1024, true, "0010 0050 0c")); // the rest of the dropped unit: ignored
    depacketizer.packet(packet(6, 2048, true, "0010 0008 aa"));
    assertThat(emitted()).containsExactly("aa");
    assertThat(depacketizer.malformed()).isEqualTo(2);
    assertThat(depacketizer.lost()).isZero();
  }

  @Test
  void paddingAnExtensionAndCsrcsAreNotPartOfTheUnits() throws Exception {
    AacDepacketizer depacketizer = hbr(8191);
    depacketizer.packet(RtpPacket.parse(hex("b1e1" + "0001" + "00000400" + "11223344" + "aaaaaaaa"
        + "bede0001" + "10ff0000" + "0010" + "0018" + "211122" + "000003")));
    assertThat(emitted()).containsExactly("211122");
  }

  @Test
  void fromFmtpReadsTheParametersFfmpegAnnounces() throws Exception {
    AacDepacketizer depacketizer = AacDepacketizer.fromFmtp(FFMPEG_FMTP, 8191, frames::add);
    depacketizer.packet(packet(1, 0, true, "0020" + "0010" + "0008" + "aabb" + "cc"));
    assertThat(frames).extracting(AacFrame::timestamp).containsExactly(0L, 1024L);
    // constantDuration (960 for AAC-LD), and the lengths absent: 0 bits of index.
    frames.clear();
    AacDepacketizer.fromFmtp(Map.of("sizelength", "16", "constantduration", "960"), 8191, frames::add)
        .packet(packet(1, 0, true, "0020" + "0002" + "0001" + "aabb" + "cc"));
    assertThat(emitted()).containsExactly("aabb", "cc");
    assertThat(frames).extracting(AacFrame::timestamp).containsExactly(0L, 960L);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "sizelength, 0",
      "sizelength, 17",
      "sizelength, x",
      "sizelength, ''",
      "indexlength, 17",
      "indexdeltalength, -1",
      "constantduration, 0",
      "ctsdeltalength, 16",
      "dtsdeltalength, 16",
      "randomaccessindication, 1",
      "streamstateindication, 8",
      "auxiliarydatasizelength, 8",
  })
  void fmtpItCannotReadIsRefused(String key, String value) {
    Map<String, String> fmtp = new HashMap<>(FFMPEG_FMTP);
    fmtp.put(key, value);
    assertThatThrownBy(() -> AacDepacketizer.fromFmtp(fmtp, 8191, frames::add))
        .isInstanceOf(RtpFormatException.class).hasMessageContaining(key);
  }

  @Test
  void fmtpWithoutSizelengthIsRefusedAndFieldsOfZeroBitsAreFine() throws Exception {
    Map<String, String> fmtp = new HashMap<>(FFMPEG_FMTP);
    fmtp.remove("sizelength");
    assertThatThrownBy(() -> AacDepacketizer.fromFmtp(fmtp, 8191, frames::add))
        .isInstanceOf(RtpFormatException.class).hasMessageContaining("sizelength");
    fmtp.put("sizelength", "13");
    fmtp.put("randomaccessindication", "0");
    fmtp.put("ctsdeltalength", "0");
    assertThat(AacDepacketizer.fromFmtp(fmtp, 8191, frames::add)).isNotNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"aac, 6", "aac-fragmented, 1"})
  void ffmpegsRecordIsReadBackIntoTheFramesOfTheFileItSent(String name, int mostUnitsAPacket) throws Exception {
    Map<String, String> fmtp = SdpDescription.parse(new String(Rtp.resource("aac.sdp"), StandardCharsets.UTF_8))
        .media().get(0).fmtp();
    AacDepacketizer depacketizer = AacDepacketizer.fromFmtp(fmtp, 8191, frames::add);
    List<RtpPacket> packets = Rtp.recorded(name);
    // With 1472-byte packets ffmpeg puts up to 6 frames in one; with 100-byte ones it cuts each in fragments.
    assertThat(packets).extracting(p -> p.payload().getUnsignedShort(0) / 16)
        .allMatch(units -> units >= 1 && units <= mostUnitsAPacket).contains(mostUnitsAPacket);
    assertThat(packets).extracting(RtpPacket::marker).contains(mostUnitsAPacket > 1); // false: a fragment
    packets.forEach(depacketizer::packet);
    List<String> sent = adtsFrames(Rtp.resource("aac.adts"));
    // ffmpeg sent all but the last frame or two, which it still held when the input ended.
    assertThat(frames.size()).isBetween(sent.size() - 2, sent.size());
    assertThat(emitted()).containsExactlyElementsOf(sent.subList(0, frames.size()));
    for (int i = 0; i < frames.size(); i++) {
      assertThat(frames.get(i).timestamp()).isEqualTo((frames.get(0).timestamp() + i * 1024L) & 0xFFFF_FFFFL);
    }
    assertThat(depacketizer.lost() + depacketizer.oversized() + depacketizer.malformed()).isZero();
  }

  /** The raw frames of an ADTS stream (ISO/IEC 14496-3 §1.A.2), as hex: without their 7 or 9 header bytes. */
  private static List<String> adtsFrames(byte[] adts) {
    List<String> raw = new ArrayList<>();
    for (int at = 0; at + 7 <= adts.length; ) {
      int length = (adts[at + 3] & 3) << 11 | (adts[at + 4] & 0xFF) << 3 | (adts[at + 5] & 0xFF) >> 5;
      int header = (adts[at + 1] & 1) != 0 ? 7 : 9; // protection_absent: no CRC
      raw.add(hex(Unpooled.wrappedBuffer(adts, at + header, length - header)));
      at += length;
    }
    return raw;
  }

  @Test
  void whatOurPacketizerWritesIsReadBackIntoTheSameFrames() throws Exception {
    AacPacketizer packetizer = new AacPacketizer(new RtpPacketWriter(2, 97, Rtp.SSRC, 0xFFF0), 1400);
    AacDepacketizer depacketizer = AacDepacketizer.fromFmtp(FFMPEG_FMTP, 8191, frames::add);
    Random random = new Random(3640);
    ByteBuf out = Unpooled.buffer();
    List<String> expected = new ArrayList<>();
    List<Long> timestamps = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      byte[] raw = new byte[1 + random.nextInt(500)];
      random.nextBytes(raw);
      long timestamp = (0xFFFF_C000L + i * 1024L) & 0xFFFF_FFFFL;
      packetizer.frame(out, timestamp, Unpooled.wrappedBuffer(raw));
      expected.add(hex(Unpooled.wrappedBuffer(raw)));
      timestamps.add(timestamp);
    }
    List<RtpPacket> packets = Rtp.interleaved(out);
    assertThat(packets).extracting(RtpPacket::sequence).contains(0xFFFF, 0);
    packets.forEach(depacketizer::packet);
    assertThat(emitted()).containsExactlyElementsOf(expected);
    assertThat(frames).extracting(AacFrame::timestamp).containsExactlyElementsOf(timestamps);
    assertThat(depacketizer.lost() + depacketizer.oversized() + depacketizer.malformed()).isZero();
  }
}
