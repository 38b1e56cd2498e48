package dev.streamedge.mpegts;

import static dev.streamedge.mpegts.TsTestSupport.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A hand-built transport stream, packet by packet (ISO/IEC 13818-1 §2.4.3.2, §2.4.4, §2.4.3.6). */
@Tag("unit")
class TsDemuxerTest {

  /** PAT: a NIT entry (program 0) first, then program 1 with its PMT on PID 0x1000. */
  private static final String PAT = "47400010" + "00" + "00b011 0001 c1 00 00 0000e010 0001f000 5cee3e59" + ff(163);
  /** PMT of program 1: PCR on 0x100, H.264 on 0x100, AAC ADTS on 0x101. */
  private static final String PMT = "47500010" + "00"
      + "02b017 0001 c1 00 00 e100 f000 1be100f000 0fe101f000 2f44b99b" + ff(157);
  /** Video PES start, CC 0: PES_packet_length 0, PTS 133200 and DTS 126000, then Annex B. */
  private static final String VIDEO_1 = "47410010" + "000001e0 0000 80 c0 0a 31000910a1 110007d861"
      + "0000000109f0 0000000165" + "88".repeat(154);
  /** Its continuation, CC 1: 10 payload bytes after adaptation field stuffing. */
  private static final String VIDEO_2 = "47010031" + "ad 00" + ff(172) + "0102030405060708090a";
  /** Audio PES, CC 0, complete: PES_packet_length 19, PTS 126000, one ADTS frame of 11 bytes. */
  private static final String AUDIO = "47410130" + "9e 00" + ff(157)
      + "000001c0 0013 80 80 05 210007d861" + "fff14c80017ffc deadbeef";
  /** The next video PES, CC 2, PTS only (129600). */
  private static final String VIDEO_3 = "47410012" + "000001e0 0000 80 80 05 210007f481"
      + "0000000109f0 0000000141" + "77".repeat(159);

  private static final String FRAME_1 = "H264 133200 126000 0000000109f00000000165" + "88".repeat(154)
      + "0102030405060708090a";
  private static final String FRAME_AUDIO = "AAC_ADTS 126000 126000 fff14c80017ffcdeadbeef";
  private static final String FRAME_3 = "H264 129600 129600 0000000109f00000000141" + "77".repeat(159);

  @Test
  void handBuiltStreamGivesExactFramesSplitAnywhere() {
    byte[] stream = hex(PAT + PMT + VIDEO_1 + VIDEO_2 + AUDIO + VIDEO_3);
    assertThat(stream).hasSize(6 * 188);
    for (int split = 0; split <= stream.length; split++) {
      List<String> frames = new ArrayList<>();
      TsDemuxer demuxer = demuxer(1 << 16, frames);
      demuxer.feed(Unpooled.wrappedBuffer(stream, 0, split));
      assertThat(demuxer.bufferedBytes()).isLessThanOrEqualTo(188 + 2 * (1 << 16));
      demuxer.feed(Unpooled.wrappedBuffer(stream, split, stream.length - split));
      demuxer.flush();
      assertThat(frames).as("split at %d", split).containsExactly(FRAME_AUDIO, FRAME_1, FRAME_3);
      assertThat(demuxer.packets()).isEqualTo(6);
      assertThat(demuxer.framesEmitted()).isEqualTo(3);
      assertThat(demuxer.continuityErrors() + demuxer.sectionErrors() + demuxer.packetsIgnored()
          + demuxer.bytesSkipped()).isZero();
    }
  }

  @Test
  void oneByteAtATimeHoldsOnlyOnePartialPacket() {
    byte[] stream = hex(PAT + PMT + VIDEO_1 + VIDEO_2 + AUDIO + VIDEO_3);
    List<String> frames = new ArrayList<>();
    TsDemuxer demuxer = demuxer(1 << 16, frames);
    for (byte b : stream) {
      demuxer.feed(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    demuxer.flush();
    assertThat(frames).containsExactly(FRAME_AUDIO, FRAME_1, FRAME_3);
  }

  @Test
  void garbageBetweenPacketsIsSkippedUpToTheNextSyncByte() {
    byte[] stream = hex("0001020304" + PAT + PMT + "ffff" + VIDEO_1 + VIDEO_2 + "00" + AUDIO + VIDEO_3);
    List<String> frames = new ArrayList<>();
    TsDemuxer demuxer = demuxer(1 << 16, frames);
    demuxer.feed(Unpooled.wrappedBuffer(stream));
    demuxer.flush();
    assertThat(frames).containsExactly(FRAME_AUDIO, FRAME_1, FRAME_3);
    assertThat(demuxer.bytesSkipped()).isEqualTo(8);
  }

  @Test
  void aLostPacketDropsOnlyThePesItCutThrough() {
    List<String> frames = new ArrayList<>();
    TsDemuxer demuxer = demuxer(1 << 16, frames);
    demuxer.feed(Unpooled.wrappedBuffer(hex(PAT + PMT + VIDEO_1 + AUDIO + VIDEO_3)));
    demuxer.flush();
    assertThat(frames).containsExactly(FRAME_AUDIO, FRAME_3);
    assertThat(demuxer.continuityErrors()).isEqualTo(1);
    assertThat(demuxer.pesDroppedLoss()).isEqualTo(1);
  }

  @Test
  void aPacketSentTwiceCountsOnce() {
    List<String> frames = new ArrayList<>();
    TsDemuxer demuxer = demuxer(1 << 16, frames);
    demuxer.feed(Unpooled.wrappedBuffer(hex(PAT + PMT + VIDEO_1 + VIDEO_2 + VIDEO_2 + AUDIO + VIDEO_3)));
    demuxer.flush();
    assertThat(frames).containsExactly(FRAME_AUDIO, FRAME_1, FRAME_3);
    assertThat(demuxer.duplicatePackets()).isEqualTo(1);
    assertThat(demuxer.continuityErrors()).isZero();
  }

  @Test
  void theDiscontinuityIndicatorAllowsAJumpOfTheCounter() {
    // VIDEO_2 with counter 7 and discontinuity_indicator set, then VIDEO_3 with counter 8.
    String jump = "47010037" + "ad 80" + ff(172) + "0102030405060708090a";
    String after = "47410018" + VIDEO_3.substring(8);
    List<String> frames = new ArrayList<>();
    TsDemuxer demuxer = demuxer(1 << 16, frames);
    demuxer.feed(Unpooled.wrappedBuffer(hex(PAT + PMT + VIDEO_1 + jump + AUDIO + after)));
    demuxer.flush();
    assertThat(frames).containsExactly(FRAME_AUDIO, FRAME_1, FRAME_3);
    assertThat(demuxer.continuityErrors()).isZero();
  }

  @Test
  void aPesAboveTheLimitIsDroppedAndNeverHeld() {
    List<String> frames = new ArrayList<>();
    TsDemuxer demuxer = demuxer(170, frames);
    for (String packet : List.of(PAT, PMT, VIDEO_1, VIDEO_2, AUDIO, VIDEO_3)) {
      demuxer.feed(Unpooled.wrappedBuffer(hex(packet)));
      assertThat(demuxer.bufferedBytes()).isLessThanOrEqualTo(2 * 170);
    }
    demuxer.flush();
    // VIDEO_1's 174 bytes are too many; VIDEO_3's 170 just fit.
    assertThat(frames).containsExactly(FRAME_AUDIO, FRAME_3);
    assertThat(demuxer.pesDroppedOversize()).isEqualTo(1);
  }

  @Test
  void aPmtWithABadCrcIsNotApplied() {
    String badPmt = PMT.replace("2f44b99b", "2f44b99c");
    List<String> frames = new ArrayList<>();
    TsDemuxer demuxer = demuxer(1 << 16, frames);
    demuxer.feed(Unpooled.wrappedBuffer(hex(PAT + badPmt + VIDEO_1 + VIDEO_2 + AUDIO + VIDEO_3)));
    demuxer.flush();
    assertThat(frames).isEmpty();
    assertThat(demuxer.sectionErrors()).isEqualTo(1);
    assertThat(demuxer.packetsIgnored()).isEqualTo(4);
  }

  @Test
  void aPacketWithTheTransportErrorIndicatorIsDroppedAsLost() {
    String damaged = "47810031" + VIDEO_2.substring(8);
    List<String> frames = new ArrayList<>();
    TsDemuxer demuxer = demuxer(1 << 16, frames);
    demuxer.feed(Unpooled.wrappedBuffer(hex(PAT + PMT + VIDEO_1 + damaged + AUDIO + VIDEO_3)));
    demuxer.flush();
    assertThat(frames).containsExactly(FRAME_AUDIO, FRAME_3);
    assertThat(demuxer.transportErrors()).isEqualTo(1);
    assertThat(demuxer.continuityErrors()).isEqualTo(1);
  }

  @Test
  void aBoundedPesCutShortByTheNextOneIsDropped() {
    // PES_packet_length 20: one byte more than the packet carries.
    String longAudio = AUDIO.replace("000001c0 0013", "000001c0 0014");
    String nextAudio = "47410131" + AUDIO.substring(8);
    List<String> frames = new ArrayList<>();
    TsDemuxer demuxer = demuxer(1 << 16, frames);
    demuxer.feed(Unpooled.wrappedBuffer(hex(PAT + PMT + longAudio + nextAudio)));
    assertThat(frames).containsExactly(FRAME_AUDIO);
    assertThat(demuxer.pesDroppedMalformed()).isEqualTo(1);
  }

  @Test
  void aPesWithoutPtsIsDropped() {
    String noPts = "47410012" + "000001e0 0000 80 00 00" + "0000000109f0 0000000141" + "77".repeat(164);
    List<String> frames = new ArrayList<>();
    TsDemuxer demuxer = demuxer(1 << 16, frames);
    demuxer.feed(Unpooled.wrappedBuffer(hex(PAT + PMT + VIDEO_1 + VIDEO_2 + noPts)));
    demuxer.flush();
    assertThat(frames).containsExactly(FRAME_1);
    assertThat(demuxer.pesDroppedMalformed()).isEqualTo(1);
  }

  private static TsDemuxer demuxer(int maxPesSize, List<String> frames) {
    return new TsDemuxer(maxPesSize, frame -> frames.add(frame.type() + " " + frame.pts90k() + " " + frame.dts90k()
        + " " + ByteBufUtil.hexDump(frame.data())));
  }

  private static String ff(int count) {
    return "ff".repeat(count);
  }
}
