package dev.streamedge.hls.ts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.codec.AacConfig;
import dev.streamedge.media.codec.AvcConfig;
import dev.streamedge.mpegts.Crc32Mpeg2;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TsMuxerTest {

  private static final AvcConfig AVC = new AvcConfig(77, 30, 4,
      List.of(HexFormat.of().parseHex("674d401e")), List.of(HexFormat.of().parseHex("68efbc80")), 640, 360);
  private static final AacConfig AAC = new AacConfig(2, 4, 44100, 2);

  // ---- PSI ----

  @Test
  void patIsTheWellKnownSingleProgramTableWithItsCrc() {
    ByteBuf out = Unpooled.buffer();
    new TsMuxer(true, true).writeTables(out);
    assertThat(out.readableBytes()).isEqualTo(2 * 188);
    String pat = ByteBufUtil.hexDump(out, 0, 21);
    // transport_stream_id 1, version 0, program 1 on PMT PID 0x1000; CRC as every TS analyser shows it.
    assertThat(pat).isEqualTo("474000100000b00d0001c100000001f0002ab104b2");
    assertThat(ByteBufUtil.getBytes(out, 21, 188 - 21)).containsOnly((byte) 0xFF);
  }

  @Test
  void pmtListsVideoThenAudioWithPcrOnVideo() {
    ByteBuf out = Unpooled.buffer();
    new TsMuxer(true, true).writeTables(out);
    String pmt = ByteBufUtil.hexDump(out, 188, 4 + 1 + 23);
    assertThat(pmt).startsWith("475000100002b0170001c10000e100f0001be100f0000fe101f000");
    assertCrc(out, 188 + 5, 3 + 23);
    assertThat(ByteBufUtil.getBytes(out, 188 + 5 + 26, 188 - 5 - 26)).containsOnly((byte) 0xFF);
  }

  @Test
  void audioOnlyPmtHasOneStreamAndPcrOnAudio() {
    ByteBuf out = Unpooled.buffer();
    new TsMuxer(false, true).writeTables(out);
    assertThat(ByteBufUtil.hexDump(out, 188, 4 + 1 + 17)).isEqualTo("475000100002b0120001c10000e101f0000fe101f000");
    assertCrc(out, 188 + 5, 3 + 18);
  }

  @Test
  void videoOnlyPmtHasOneStream() {
    ByteBuf out = Unpooled.buffer();
    new TsMuxer(true, false).writeTables(out);
    assertThat(ByteBufUtil.hexDump(out, 188, 4 + 1 + 17)).isEqualTo("475000100002b0120001c10000e100f0001be100f000");
    assertCrc(out, 188 + 5, 3 + 18);
  }

  @Test
  void crcOfTheMuxerMatchesTheCheckValueOfCrc32Mpeg2() {
    ByteBuf check = Unpooled.copiedBuffer("123456789", StandardCharsets.US_ASCII);
    assertThat(Crc32Mpeg2.compute(check, 0, 9)).isEqualTo(0x0376E6E7).isEqualTo(bitwiseCrc(check, 0, 9));
  }

  /** The section's last four bytes are its CRC_32, recomputed here bit by bit. */
  private static void assertCrc(ByteBuf out, int offset, int sectionLength) {
    int expected = bitwiseCrc(out, offset, sectionLength - 4);
    assertThat(out.getInt(offset + sectionLength - 4)).isEqualTo(expected);
  }

  /** CRC-32/MPEG-2 straight from its definition, one bit at a time (check value 0x0376E6E7). */
  private static int bitwiseCrc(ByteBuf buf, int offset, int length) {
    int crc = 0xFFFFFFFF;
    for (int i = offset; i < offset + length; i++) {
      for (int bit = 7; bit >= 0; bit--) {
        int in = (buf.getByte(i) >>> bit) & 1;
        boolean top = (crc >>> 31 ^ in) == 1;
        crc <<= 1;
        if (top) {
          crc ^= 0x04C11DB7;
        }
      }
    }
    return crc;
  }

  // ---- PES and timestamps ----

  @Test
  void ptsAndDtsEncodeWithMarkerBits() {
    ByteBuf out = Unpooled.buffer();
    TsMuxer.writeTimestamp(out, 0x3, 97_200);
    TsMuxer.writeTimestamp(out, 0x1, 90_000);
    TsMuxer.writeTimestamp(out, 0x2, (1L << 33) - 1);
    TsMuxer.writeTimestamp(out, 0x2, 0);
    assertThat(ByteBufUtil.hexDump(out)).isEqualTo("310005f761" + "110005bf21" + "2fffffffff" + "2100010001");
  }

  @Test
  void videoPesCarriesPtsFromCompositionTimeAndDts() throws Exception {
    TsMuxer muxer = new TsMuxer(true, false);
    ByteBuf out = Unpooled.buffer();
    muxer.writeVideo(out, 1000, 80, false, avcc(4, "41aa"), AVC);
    byte[] pes = TsPacket.pes(TsPacket.parse(out), TsMuxer.PID_VIDEO).get(0);
    // start code, stream_id E0, length, 84 (data alignment), C0 (PTS+DTS), 10 header bytes.
    assertThat(HexFormat.of().formatHex(pes, 0, 19)).isEqualTo("000001e0" + "0019" + "84c00a" + "310005f761" + "110005bf21");
    assertThat(HexFormat.of().formatHex(pes, 19, pes.length)).isEqualTo("0000000109f0" + "0000000141aa");
  }

  @Test
  void videoWithoutCompositionTimeHasPtsOnly() throws Exception {
    ByteBuf out = Unpooled.buffer();
    new TsMuxer(true, false).writeVideo(out, 1000, 0, false, avcc(4, "41aa"), AVC);
    byte[] pes = TsPacket.pes(TsPacket.parse(out), TsMuxer.PID_VIDEO).get(0);
    assertThat(HexFormat.of().formatHex(pes, 6, 14)).isEqualTo("848005210005bf21");
  }

  @Test
  void timestampsWrapAt33Bits() throws Exception {
    long wrapMillis = (1L << 33) / 90 + 1; // 28 ticks past 2^33
    ByteBuf out = Unpooled.buffer();
    new TsMuxer(false, true).writeAudio(out, wrapMillis, hex("21"), AAC);
    byte[] pes = TsPacket.pes(TsPacket.parse(out), TsMuxer.PID_AUDIO).get(0);
    long expected = wrapMillis * 90 - (1L << 33);
    ByteBuf encoded = Unpooled.buffer();
    TsMuxer.writeTimestamp(encoded, 0x2, expected);
    assertThat(Arrays.copyOfRange(pes, 9, 14)).isEqualTo(ByteBufUtil.getBytes(encoded));
  }

  @Test
  void pcrEncodesBaseAndReservedBits() {
    ByteBuf out = Unpooled.buffer();
    TsMuxer.writePcr(out, 90_000);
    TsMuxer.writePcr(out, 90_001);
    TsMuxer.writePcr(out, (1L << 33) - 1);
    assertThat(ByteBufUtil.hexDump(out)).isEqualTo("0000afc87e00" + "0000afc8fe00" + "fffffffffe00");
  }

  @Test
  void keyframeStartsWithPcrEqualToDtsAndRandomAccess() throws Exception {
    ByteBuf out = Unpooled.buffer();
    new TsMuxer(true, true).writeVideo(out, 2000, 80, true, avcc(4, "65" + "88".repeat(400)), AVC);
    List<TsPacket> packets = TsPacket.parse(out);
    TsPacket first = packets.get(0);
    assertThat(first.unitStart()).isTrue();
    assertThat(first.pcrFlag()).isTrue();
    assertThat(first.randomAccess()).isTrue();
    assertThat(first.pcrBase()).isEqualTo(2000 * 90);
    assertThat(ByteBufUtil.hexDump(out, 0, 12)).isEqualTo("474100300750" + "00015f907e00");
    assertThat(packets.subList(1, packets.size())).noneMatch(TsPacket::pcrFlag).noneMatch(TsPacket::unitStart);
  }

  @Test
  void interFrameHasPcrButNoRandomAccess() throws Exception {
    ByteBuf out = Unpooled.buffer();
    new TsMuxer(true, true).writeVideo(out, 2040, 0, false, avcc(4, "41aa"), AVC);
    TsPacket first = TsPacket.parse(out).get(0);
    assertThat(first.pcrFlag()).isTrue();
    assertThat(first.randomAccess()).isFalse();
  }

  @Test
  void audioCarriesPcrOnlyWithoutVideo() throws Exception {
    ByteBuf withVideo = Unpooled.buffer();
    new TsMuxer(true, true).writeAudio(withVideo, 1000, hex("21" + "00".repeat(50)), AAC);
    assertThat(TsPacket.parse(withVideo).get(0).pcrFlag()).isFalse();
    ByteBuf audioOnly = Unpooled.buffer();
    new TsMuxer(false, true).writeAudio(audioOnly, 1000, hex("21" + "00".repeat(50)), AAC);
    TsPacket first = TsPacket.parse(audioOnly).get(0);
    assertThat(first.pcrFlag()).isTrue();
    assertThat(first.pcrBase()).isEqualTo(90_000);
  }

  @Test
  void audioPesIsAdtsFrameWithLengthAndPts() throws Exception {
    ByteBuf out = Unpooled.buffer();
    new TsMuxer(false, true).writeAudio(out, 1000, hex("de02"), AAC);
    byte[] pes = TsPacket.pes(TsPacket.parse(out), TsMuxer.PID_AUDIO).get(0);
    // length = 3 + 5 + 7 + 2 = 17; PTS only.
    assertThat(HexFormat.of().formatHex(pes)).isEqualTo("000001c0" + "0011" + "848005" + "210005bf21"
        + "fff15080013ffc" + "de02");
  }

  @Test
  void oversizedVideoPesHasUnboundedLength() throws Exception {
    ByteBuf out = Unpooled.buffer();
    new TsMuxer(true, false).writeVideo(out, 0, 0, false, avcc(4, "41" + "00".repeat(70_000)), AVC);
    byte[] pes = TsPacket.pes(TsPacket.parse(out), TsMuxer.PID_VIDEO).get(0);
    assertThat(pes[4]).isZero();
    assertThat(pes[5]).isZero();
  }

  @Test
  void audioThatAdtsCannotCarryIsAProtocolException() {
    TsMuxer muxer = new TsMuxer(false, true);
    ByteBuf out = Unpooled.buffer();
    assertThatThrownBy(() -> muxer.writeAudio(out, 0, hex("00"), new AacConfig(5, 4, 44100, 2)))
        .isInstanceOf(MediaFormatException.class);
    assertThatThrownBy(() -> muxer.writeAudio(out, 0, Unpooled.buffer().writeZero(8185), AAC))
        .isInstanceOf(MediaFormatException.class);
    assertThat(out.readableBytes()).isZero();
  }

  // ---- Packetization ----

  @Test
  void everyPesSizeFillsWholePacketsWithAdaptationStuffing() throws Exception {
    for (int size = 1; size <= 800; size++) {
      for (boolean keyframe : new boolean[] {false, true}) {
        TsMuxer muxer = new TsMuxer(true, true);
        ByteBuf out = Unpooled.buffer();
        byte[] nal = new byte[size];
        Arrays.fill(nal, (byte) 0x41);
        muxer.writeVideo(out, 40, 0, keyframe, avcc(4, HexFormat.of().formatHex(nal)), AVC);
        List<TsPacket> packets = TsPacket.parse(out);
        byte[] pes = TsPacket.pes(packets, TsMuxer.PID_VIDEO).get(0);
        int header = 14;
        int expectedEs = 6 + (keyframe ? 8 + 8 : 0) + 4 + size;
        assertThat(pes.length).as("size %d keyframe %s", size, keyframe).isEqualTo(header + expectedEs);
        for (TsPacket packet : packets.subList(0, packets.size() - 1)) {
          assertThat(packet.adaptation().length).isLessThanOrEqualTo(7);
        }
        byte[] adaptation = packets.get(packets.size() - 1).adaptation();
        // After the flags byte (and the PCR when the last packet is also the first) only stuffing.
        for (int i = packets.size() == 1 ? 7 : 1; i < adaptation.length; i++) {
          assertThat(adaptation[i]).as("size %d stuffing byte %d", size, i).isEqualTo((byte) 0xFF);
        }
      }
    }
  }

  @Test
  void oneByteOfStuffingIsAnEmptyAdaptationField() throws Exception {
    // Audio next to video has no PCR. PES header 14 + ADTS 7 + 162 = 183: one byte short of a packet.
    ByteBuf out = Unpooled.buffer();
    new TsMuxer(true, true).writeAudio(out, 0, Unpooled.buffer().writeZero(162), AAC);
    assertThat(TsPacket.parse(out)).hasSize(1);
    assertThat(ByteBufUtil.hexDump(out, 3, 5)).isEqualTo("3000000001");
    ByteBuf twoShort = Unpooled.buffer();
    new TsMuxer(true, true).writeAudio(twoShort, 0, Unpooled.buffer().writeZero(161), AAC);
    assertThat(ByteBufUtil.hexDump(twoShort, 3, 6)).isEqualTo("300100000001");
    ByteBuf exact = Unpooled.buffer();
    new TsMuxer(true, true).writeAudio(exact, 0, Unpooled.buffer().writeZero(163), AAC);
    assertThat(ByteBufUtil.hexDump(exact, 3, 4)).isEqualTo("10000001");
  }

  @Test
  void continuityCountersWrapPerPidAcrossCalls() throws Exception {
    TsMuxer muxer = new TsMuxer(true, true);
    ByteBuf out = Unpooled.buffer();
    for (int i = 0; i < 20; i++) {
      muxer.writeTables(out);
      muxer.writeAudio(out, i * 23L, hex("21"), AAC);
    }
    muxer.writeVideo(out, 0, 0, false, avcc(4, "41" + "00".repeat(400)), AVC);
    List<TsPacket> packets = TsPacket.parse(out);
    for (int pid : new int[] {TsMuxer.PID_PAT, TsMuxer.PID_PMT, TsMuxer.PID_AUDIO, TsMuxer.PID_VIDEO}) {
      List<Integer> counters = packets.stream().filter(p -> p.pid() == pid).map(TsPacket::continuity).toList();
      assertThat(counters).as("PID 0x%x", pid).isNotEmpty();
      for (int i = 0; i < counters.size(); i++) {
        assertThat(counters.get(i)).as("PID 0x%x packet %d", pid, i).isEqualTo(i % 16);
      }
    }
  }

  // ---- Annex B ----

  @Test
  void keyframeGetsAudThenSpsAndPpsFromTheConfig() throws Exception {
    ByteBuf out = Unpooled.buffer();
    AnnexB.write(out, avcc(4, "06aa", "65bb"), AVC, true);
    assertThat(ByteBufUtil.hexDump(out)).isEqualTo("0000000109f0" + "00000001674d401e" + "0000000168efbc80"
        + "0000000106aa" + "0000000165bb");
  }

  @Test
  void idrSliceGetsParameterSetsEvenWithoutTheKeyframeFlag() throws Exception {
    ByteBuf out = Unpooled.buffer();
    AnnexB.write(out, avcc(2, "65bb"), withLengthSize(2), false);
    assertThat(ByteBufUtil.hexDump(out)).isEqualTo("0000000109f0" + "00000001674d401e" + "0000000168efbc80"
        + "0000000165bb");
  }

  @Test
  void parameterSetsAlreadyInTheAccessUnitAreNotRepeatedAndItsAudIsReplaced() throws Exception {
    ByteBuf out = Unpooled.buffer();
    AnnexB.write(out, avcc(1, "0910", "6701", "6802", "65bb"), withLengthSize(1), true);
    assertThat(ByteBufUtil.hexDump(out)).isEqualTo("0000000109f0" + "000000016701" + "000000016802"
        + "0000000165bb");
  }

  @Test
  void interFrameGetsOnlyTheAud() throws Exception {
    ByteBuf out = Unpooled.buffer();
    AnnexB.write(out, avcc(4, "41aa", "", "01bb"), AVC, false);
    assertThat(ByteBufUtil.hexDump(out)).isEqualTo("0000000109f0" + "0000000141aa" + "0000000101bb");
  }

  @Test
  void brokenLengthPrefixesAreProtocolExceptionsAndWriteNothing() throws Exception {
    TsMuxer muxer = new TsMuxer(true, false);
    ByteBuf out = Unpooled.buffer();
    for (String broken : new String[] {"00000005 41aa", "000000", "00000001 41 00"}) {
      assertThatThrownBy(() -> muxer.writeVideo(out, 0, 0, true, hex(broken.replace(" ", "")), AVC))
          .as(broken).isInstanceOf(MediaFormatException.class);
    }
    assertThat(out.readableBytes()).isZero();
    // The counters did not move either.
    assertThat(muxerFirstVideoCounter(muxer)).isZero();
  }

  private static int muxerFirstVideoCounter(TsMuxer muxer) throws MediaFormatException {
    ByteBuf out = Unpooled.buffer();
    muxer.writeVideo(out, 0, 0, false, avcc(4, "41aa"), AVC);
    return TsPacket.parse(out).get(0).continuity();
  }

  private static AvcConfig withLengthSize(int size) {
    return new AvcConfig(AVC.profile(), AVC.level(), size, AVC.sps(), AVC.pps(), AVC.width(), AVC.height());
  }

  private static ByteBuf avcc(int lengthSize, String... nals) {
    ByteBuf out = Unpooled.buffer();
    for (String nal : nals) {
      byte[] bytes = hex(nal).array();
      switch (lengthSize) {
        case 1 -> out.writeByte(bytes.length);
        case 2 -> out.writeShort(bytes.length);
        default -> out.writeInt(bytes.length);
      }
      out.writeBytes(bytes);
    }
    return out;
  }

  static ByteBuf hex(String hex) {
    return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex));
  }
}
