package dev.streamedge.srt.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.media.MediaKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** An SRT player's MPEG-TS, packet by packet: where it starts, where the tables go, continuity across packets. */
@Tag("unit")
class TsPlayerEncoderTest {

  /** An H.264 Main profile configuration record (640x360), as HlsMuxerTest has it. */
  private static final String AVC_RECORD = "014d401effe10018674d401eeca05017fcb808800000030080000019078b16cb01000468efbc80";
  private static final String AVC_CONFIG = "1700000000" + AVC_RECORD;
  /** AAC LC, 44.1 kHz, stereo. */
  private static final String AAC_CONFIG = "af001210";
  /** x265's HEVCDecoderConfigurationRecord for 320x240, as ffmpeg 8 sends it (HevcConfigTest's). */
  private static final String HVCC = "0101600000009000000000003cf000fcfdf8f800000f03200001001840010c01ffff01600000"
      + "030090000003000003003c959009210001002a42010101600000030090000003000003003ca00a080f16595912930bc05a020000"
      + "03000200000300321022000100064401c073c189";
  /** Enhanced RTMP: keyframe SequenceStart of hvc1. */
  private static final String HEVC_CONFIG = "90" + "68766331" + HVCC;
  private static final int PAT = 0x0000;
  private static final int PMT = 0x1000;
  private static final int VIDEO = 0x0100;
  private static final int AUDIO = 0x0101;

  private final TsPlayerEncoder encoder = new TsPlayerEncoder();

  private Buffer encode(MediaKind kind, long ts, String hex) {
    return encoder.encode(kind, ts, Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex)));
  }

  private static String frame(boolean key, int size) {
    return (key ? "17" : "27") + "01000000" + String.format("%08x", size) + (key ? "65" : "41") + "00".repeat(size - 1);
  }

  /** The PIDs and continuity counters of a buffer of whole 188-byte TS packets. */
  private static List<int[]> packets(Buffer ts) {
    assertThat(ts.length() % 188).as("whole TS packets").isZero();
    List<int[]> out = new ArrayList<>();
    ByteBuf bytes = Unpooled.wrappedBuffer(ts.getBytes());
    for (int at = 0; at < ts.length(); at += 188) {
      assertThat(bytes.getByte(at)).as("sync byte").isEqualTo((byte) 0x47);
      out.add(new int[] {(bytes.getUnsignedShort(at + 1) & 0x1FFF), bytes.getByte(at + 3) & 0x0F});
    }
    return out;
  }

  private static List<Integer> pids(Buffer ts) {
    return packets(ts).stream().map(p -> p[0]).distinct().toList();
  }

  @Test
  void nothingGoesOutBeforeTheFirstKeyframeWhichOpensWithPatAndPmt() {
    assertThat(encode(MediaKind.VIDEO, 0, AVC_CONFIG).length()).isZero();
    assertThat(encode(MediaKind.AUDIO, 0, AAC_CONFIG).length()).isZero();
    assertThat(encode(MediaKind.VIDEO, 0, frame(false, 300)).length()).as("an inter frame before any keyframe").isZero();
    assertThat(encode(MediaKind.AUDIO, 10, "af01" + "21".repeat(200)).length()).as("audio before the keyframe").isZero();

    Buffer key = encode(MediaKind.VIDEO, 40, frame(true, 3000));

    List<int[]> packets = packets(key);
    assertThat(packets.get(0)[0]).isEqualTo(PAT);
    assertThat(packets.get(1)[0]).isEqualTo(PMT);
    assertThat(packets.subList(2, packets.size())).allMatch(p -> p[0] == VIDEO);
    assertThat(pids(encode(MediaKind.AUDIO, 50, "af01" + "21".repeat(200)))).containsExactly(AUDIO);
  }

  @Test
  void everyKeyframeRepeatsTheTablesAndContinuityCountersRunOnAcrossPackets() {
    encode(MediaKind.VIDEO, 0, AVC_CONFIG);
    encode(MediaKind.AUDIO, 0, AAC_CONFIG);
    List<int[]> all = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      boolean key = i % 10 == 0;
      Buffer video = encode(MediaKind.VIDEO, i * 40L, frame(key, 500 + 97 * i));
      if (key) {
        assertThat(pids(video).subList(0, 2)).as("frame " + i).containsExactly(PAT, PMT);
      } else {
        assertThat(pids(video)).as("frame " + i).containsExactly(VIDEO);
      }
      all.addAll(packets(video));
      all.addAll(packets(encode(MediaKind.AUDIO, i * 40L + 5, "af01" + "21".repeat(150))));
    }
    for (int pid : new int[] {PAT, PMT, VIDEO, AUDIO}) {
      List<Integer> counters = all.stream().filter(p -> p[0] == pid).map(p -> p[1]).toList();
      for (int i = 1; i < counters.size(); i++) {
        assertThat(counters.get(i)).as("continuity of PID " + pid + " at " + i).isEqualTo((counters.get(i - 1) + 1) & 0xF);
      }
    }
  }

  @Test
  void aStreamWithoutVideoStartsAtItsFirstAudioFrameAndRepeatsTheTables() {
    encode(MediaKind.AUDIO, 0, AAC_CONFIG);

    assertThat(pids(encode(MediaKind.AUDIO, 0, "af01" + "21".repeat(100)))).containsExactly(PAT, PMT, AUDIO);
    int withTables = 0;
    for (int i = 1; i <= 100; i++) {
      if (pids(encode(MediaKind.AUDIO, i * 23L, "af01" + "21".repeat(100))).contains(PAT)) {
        withTables++;
      }
    }
    assertThat(withTables).as("tables again every 50 frames").isEqualTo(2);
  }

  @Test
  void malformedFramesAndScriptDataEncodeToNothing() {
    encode(MediaKind.VIDEO, 0, AVC_CONFIG);
    encode(MediaKind.VIDEO, 0, frame(true, 100));

    assertThat(encode(MediaKind.VIDEO, 40, "2701000000" + "0000ffff" + "41").length()).as("a NAL length past the end")
        .isZero();
    assertThat(encode(MediaKind.DATA, 40, "02000a6f6e4d65746144617461").length()).isZero();
    assertThat(pids(encode(MediaKind.VIDEO, 80, frame(false, 100)))).containsExactly(VIDEO);
  }

  /** Enhanced RTMP CodedFrames of hvc1 (composition time 0) with one NAL unit: IDR_W_RADL or a trailing picture. */
  private static String hevcFrame(boolean key, int size) {
    return (key ? "91" : "a1") + "68766331" + "000000" + String.format("%08x", size) + (key ? "2601" : "0201")
        + "00".repeat(size - 2);
  }

  @Test
  void hevcGoesOutAsStreamType0x24FromItsFirstKeyframeWithItsParameterSets() {
    encode(MediaKind.VIDEO, 0, HEVC_CONFIG);
    encode(MediaKind.AUDIO, 0, AAC_CONFIG);
    assertThat(encode(MediaKind.VIDEO, 0, hevcFrame(false, 300)).length()).as("before the keyframe").isZero();

    Buffer key = encode(MediaKind.VIDEO, 40, hevcFrame(true, 3000));

    assertThat(pids(key).subList(0, 2)).containsExactly(PAT, PMT);
    String hex = HexFormat.of().formatHex(key.getBytes());
    // The PMT's video entry: stream_type 0x24 on PID 0x100.
    assertThat(hex.substring(188 * 2, 188 * 2 + 56)).contains("24e100f000");
    // The PES: its header, then the delimiter and the VPS from the record.
    assertThat(hex.substring(2 * 188 * 2)).contains("00000001460150" + "0000000140010c01");
    assertThat(pids(encode(MediaKind.VIDEO, 80, hevcFrame(false, 300)))).containsExactly(VIDEO);
  }

  @Test
  void aCodecChangeStartsANewProgramAtTheNextKeyframe() {
    encode(MediaKind.VIDEO, 0, AVC_CONFIG);
    assertThat(pids(encode(MediaKind.VIDEO, 0, frame(true, 300)))).startsWith(PAT, PMT);

    encode(MediaKind.VIDEO, 40, HEVC_CONFIG);
    assertThat(encode(MediaKind.VIDEO, 40, hevcFrame(false, 300)).length()).as("an inter frame of the new codec")
        .isZero();
    Buffer key = encode(MediaKind.VIDEO, 80, hevcFrame(true, 300));
    assertThat(HexFormat.of().formatHex(key.getBytes(), 188, 188 + 28)).contains("24e100f000");
    assertThat(packets(key).get(0)[1]).as("the new program's counters start again").isZero();
  }
}
