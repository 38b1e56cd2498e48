package dev.streamedge.fmp4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.testing.Mp4Check;
import dev.streamedge.testing.Mp4Check.TrackFragment;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The fMP4 boxes byte by byte: init segment layout, esds, trun and data offsets, tfdt timing. */
@Tag("unit")
class Fmp4WriterTest {

  /** A real 640x360 Main profile AVCDecoderConfigurationRecord (x264), SPS and PPS included. */
  private static final byte[] AVCC = HexFormat.of().parseHex(
      "014d401effe1001b674d401eeca05017fcb808800000030080000019078b16cb01000468ebecb2");
  /** AAC LC, 44.1 kHz, stereo. */
  private static final byte[] ASC = {0x12, 0x10};

  @Test
  void initSegmentHasTheBoxTreeOfAFragmentedMovie() {
    byte[] init = InitSegment.write(List.of(new AvcSampleEntry(AVCC, 640, 360), new AacSampleEntry(ASC, 44100, 2)));
    String track = "trak[tkhd mdia[mdhd hdlr minf[%s dinf[dref] stbl[stsd stts stsc stco stsz]]]]";
    assertThat(Mp4Check.tree(init)).isEqualTo("ftyp moov[mvhd " + track.formatted("vmhd") + " "
        + track.formatted("smhd") + " mvex[trex trex]]");
    assertThat(HexFormat.of().formatHex(init, 0, 28)).isEqualTo(
        "0000001c" + "66747970" + "69736f36" + "00000000" + "69736f36" + "636d6663" + "6d703431");
  }

  @Test
  void avcSampleEntryCarriesTheRecordVerbatimInAvcC() {
    ByteBuf out = Unpooled.buffer();
    new AvcSampleEntry(AVCC, 640, 360).write(out);
    byte[] bytes = ByteBufUtil.getBytes(out);
    assertThat(bytes.length).isEqualTo(8 + 78 + 8 + AVCC.length);
    assertThat(HexFormat.of().formatHex(bytes, 4, 8)).isEqualTo("61766331"); // avc1
    assertThat(HexFormat.of().formatHex(bytes, 32, 36)).isEqualTo("02800168"); // 640 x 360
    assertThat(HexFormat.of().formatHex(bytes, 86, 94)).isEqualTo(String.format("%08x", 8 + AVCC.length) + "61766343");
    assertThat(HexFormat.of().formatHex(bytes, 94, bytes.length)).isEqualTo(HexFormat.of().formatHex(AVCC));
  }

  @Test
  void esdsDescribesAacWithTheAudioSpecificConfig() {
    ByteBuf out = Unpooled.buffer();
    new AacSampleEntry(ASC, 44100, 2).write(out);
    byte[] bytes = ByteBufUtil.getBytes(out);
    // mp4a: channelcount 2, samplesize 16, samplerate 44100 in 16.16.
    assertThat(HexFormat.of().formatHex(bytes, 24, 36)).isEqualTo("00020010" + "00000000" + "ac440000");
    assertThat(HexFormat.of().formatHex(bytes, 36, bytes.length)).isEqualTo(
        "00000027" + "65736473" + "00000000"
            + "0319" + "0000" + "00"
            + "0411" + "40" + "15" + "000000" + "00000000" + "00000000"
            + "0502" + "1210"
            + "0601" + "02");
  }

  @Test
  void dOpsIsTheOpusHeadInBigEndianWithoutItsSignature() throws Exception {
    // OpusHead (RFC 7845 §5.1): version 1, 2 channels, pre-skip 312, 44100 Hz input, gain -256, family 0.
    byte[] head = HexFormat.of().parseHex("4f707573486561640102" + "3801" + "44ac0000" + "00ff" + "00");
    OpusSampleEntry entry = OpusSampleEntry.fromOpusHead(Unpooled.wrappedBuffer(head));
    ByteBuf out = Unpooled.buffer();
    entry.write(out);
    byte[] bytes = ByteBufUtil.getBytes(out);
    assertThat(HexFormat.of().formatHex(bytes, 4, 8)).isEqualTo("4f707573"); // Opus
    assertThat(HexFormat.of().formatHex(bytes, 24, 36)).isEqualTo("00020010" + "00000000" + "bb800000");
    assertThat(HexFormat.of().formatHex(bytes, 36, bytes.length)).isEqualTo(
        "00000013" + "644f7073" + "00" + "02" + "0138" + "0000ac44" + "ff00" + "00");
    assertThatThrownBy(() -> OpusSampleEntry.fromOpusHead(Unpooled.wrappedBuffer(new byte[19])))
        .hasMessageContaining("OpusHead");
  }

  @Test
  void opusPacketDurationComesFromItsToc() {
    assertThat(OpusSampleEntry.samples(Unpooled.wrappedBuffer(new byte[] {(byte) 0xFC}))).isEqualTo(960); // CELT 20 ms
    assertThat(OpusSampleEntry.samples(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80}))).isEqualTo(120); // CELT 2.5 ms
    assertThat(OpusSampleEntry.samples(Unpooled.wrappedBuffer(new byte[] {0x19}))).isEqualTo(5760); // 2 x SILK 60 ms
    assertThat(OpusSampleEntry.samples(Unpooled.wrappedBuffer(new byte[] {0x1B, 0x03}))).isEqualTo(8640); // code 3, 3 frames
  }

  @Test
  void fragmentListsEverySampleAndPointsIntoItsMdat() {
    TrackRun video = new TrackRun(1);
    TrackRun audio = new TrackRun(2);
    video.add(9000, 3000, true, Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
    video.add(12600, 0, false, Unpooled.wrappedBuffer(new byte[] {4, 5}));
    video.endAt(16200);
    audio.add(44100, 0, true, Unpooled.wrappedBuffer(new byte[] {6}));
    audio.endAt(45124);
    ByteBuf out = Unpooled.buffer();
    Fragment.write(out, 7, List.of(video, audio));
    byte[] bytes = ByteBufUtil.getBytes(out);

    assertThat(Mp4Check.tree(bytes)).isEqualTo("moof[mfhd traf[tfhd tfdt trun] traf[tfhd tfdt trun]] mdat");
    assertThat(Mp4Check.fragments(bytes)).containsExactly(
        new TrackFragment(1, 9000, 2, 7200), new TrackFragment(2, 44100, 1, 1024));
    String hex = HexFormat.of().formatHex(bytes);
    // Video trun, version 1 for the composition offsets: count 2, data offset, then per sample
    // duration, size, flags, offset.
    int moofSize = Integer.parseInt(hex.substring(0, 8), 16);
    assertThat(hex).contains("7472756e" + "01000f01" + "00000002" + String.format("%08x", moofSize + 8)
        + "00000e10" + "00000003" + "02000000" + "00000bb8"
        + "00000e10" + "00000002" + "01010000" + "00000000");
    // Audio trun, version 0 without offsets, its data right after the video's 5 bytes.
    assertThat(hex).contains("7472756e" + "00000701" + "00000001" + String.format("%08x", moofSize + 8 + 5)
        + "00000400" + "00000001" + "02000000");
    assertThat(hex).endsWith("0000000e" + "6d646174" + "0102030405" + "06");
  }

  @Test
  void clearedRunStartsTheNextFragmentEmpty() {
    TrackRun run = new TrackRun(1);
    for (int i = 0; i < 100; i++) {
      run.add(i * 3600L, 0, i == 0, Unpooled.wrappedBuffer(new byte[] {(byte) i}));
    }
    assertThat(run.sampleCount()).isEqualTo(100);
    run.clear();
    assertThat(run.sampleCount()).isZero();
    assertThat(run.dataSize()).isZero();
    run.add(360_000, 0, true, Unpooled.wrappedBuffer(new byte[] {1}));
    assertThat(run.baseDecodeTime()).isEqualTo(360_000);
    assertThatThrownBy(() -> run.add(0, 0, false, Unpooled.buffer()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void audioDecodeTimeCountsFramesAndFollowsTimestampsOnlyAcrossAGap() {
    Fmp4Muxer muxer = new Fmp4Muxer(null, new AacSampleEntry(ASC, 44100, 2), -1);
    // 1024 samples at 44.1 kHz are 23.22 ms: millisecond timestamps 0, 23, 46 round the frames.
    muxer.audio(0, Unpooled.wrappedBuffer(new byte[] {1}), 1024);
    muxer.audio(23, Unpooled.wrappedBuffer(new byte[] {2}), 1024);
    muxer.audio(46, Unpooled.wrappedBuffer(new byte[] {3}), 1024);
    byte[] first = muxer.fragment(1, 0);
    muxer.audio(1000, Unpooled.wrappedBuffer(new byte[] {4}), 1024); // a gap of almost a second
    byte[] second = muxer.fragment(2, 0);
    assertThat(Mp4Check.fragments(first)).containsExactly(new TrackFragment(1, 0, 3, 3072));
    assertThat(Mp4Check.fragments(second)).containsExactly(new TrackFragment(1, 44100, 1, 1024));
  }

  @Test
  void eachTrackAloneIsItsPartOfTheMuxedFragmentUnderItsOwnId() {
    AvcSampleEntry avc = new AvcSampleEntry(AVCC, 640, 360);
    AacSampleEntry aac = new AacSampleEntry(ASC, 44100, 2);
    Fmp4Muxer muxed = new Fmp4Muxer(avc, aac, -1);
    Fmp4Muxer videoOnly = new Fmp4Muxer(avc, null, -1);
    SingleTrack video = new SingleTrack();
    SingleTrack audio = new SingleTrack();
    for (int i = 0; i < 3; i++) {
      for (Fmp4Muxer muxer : List.of(muxed, videoOnly)) {
        muxer.video(i * 40L, 80, i == 0, null, Unpooled.wrappedBuffer(new byte[] {(byte) i, 9, 9}));
      }
      muxed.audio(i * 23L, Unpooled.wrappedBuffer(new byte[] {(byte) (0x70 + i)}), 1024);
    }
    byte[] both = muxed.fragment(5, 120, video, audio);
    byte[] alone = videoOnly.fragment(5, 120);
    assertThat(video.start()).isZero();
    assertThat(video.end()).isEqualTo(120 * 90);
    assertThat(audio.start()).isZero();
    assertThat(audio.end()).isEqualTo(3 * 1024);
    // The video track is track 1 in both: alone, its fragment is the video-only muxer's, byte for byte.
    assertThat(video.take()).isEqualTo(alone);
    assertThat(video.isEmpty()).isTrue();
    byte[] audioAlone = audio.take();
    assertThat(Mp4Check.tree(audioAlone)).isEqualTo("moof[mfhd traf[tfhd tfdt trun]] mdat");
    assertThat(Mp4Check.fragments(audioAlone)).containsExactly(new TrackFragment(2, 0, 3, 3072));
    assertThat(HexFormat.of().formatHex(audioAlone)).endsWith("0000000b" + "6d646174" + "707172");
    assertThat(Mp4Check.fragments(both)).containsExactly(new TrackFragment(1, 0, 3, 10_800),
        new TrackFragment(2, 0, 3, 3072));
    // Each track's init segment alone keeps its ID (tkhd and trex) and names the next one in mvhd.
    byte[] audioInit = muxed.audioInit();
    assertThat(Mp4Check.tree(audioInit)).isEqualTo("ftyp moov[mvhd "
        + "trak[tkhd mdia[mdhd hdlr minf[smhd dinf[dref] stbl[stsd stts stsc stco stsz]]]] mvex[trex]]");
    String hex = HexFormat.of().formatHex(audioInit);
    assertThat(hex).contains("74726578" + "00000000" + "00000002"); // trex: version/flags, track_ID 2
    assertThat(hex).contains("746b6864" + "00000003" + "00000000" + "00000000" + "00000002"); // tkhd track_ID 2
    assertThat(muxed.videoInit()).isEqualTo(videoOnly.init());
    assertThat(avc.codecs()).isEqualTo("avc1.4d401e");
    assertThat(aac.codecs()).isEqualTo("mp4a.40.2");
  }
}
