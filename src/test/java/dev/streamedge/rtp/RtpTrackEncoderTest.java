package dev.streamedge.rtp;

import static dev.streamedge.rtp.Interleaved.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.media.MediaKind;
import io.netty.buffer.ByteBuf;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A player's interleaved RTP from the stream's FLV bodies: channels, timestamps, where video starts. */
@Tag("unit")
class RtpTrackEncoderTest {

  private static final String SPS = H264PacketizerTest.SPS;
  private static final String PPS = H264PacketizerTest.PPS;
  /** AVC sequence header: keyframe|AVC, type 0, cts 0, then the AVCDecoderConfigurationRecord. */
  private static final String AVC_CONFIG = "1700000000" + "0164001effe1" + "001a" + SPS + "01" + "0006" + PPS;
  /** AAC LC, 44.1 kHz, stereo. */
  private static final String AAC_CONFIG = "af00" + "1210";
  private static final long VIDEO_OFFSET = 1000;
  private static final long AUDIO_OFFSET = 5000;

  private final RtpTrackEncoder encoder = new RtpTrackEncoder(0, 2, 0x1111L, 0x2222L, 100, 200, VIDEO_OFFSET,
      AUDIO_OFFSET, 1400);

  private List<Interleaved> encode(RtpTrackEncoder encoder, MediaKind kind, long timestamp, String body) {
    ByteBuf flv = hex(body);
    ByteBuf out = encoder.encode(kind, timestamp, flv, 10_000 + timestamp);
    assertThat(flv.readerIndex()).isZero();
    return Interleaved.read(out);
  }

  private List<Interleaved> encode(MediaKind kind, long timestamp, String body) {
    return encode(encoder, kind, timestamp, body);
  }

  /** A NALU packet: frame type (1 key, 2 inter) | AVC, type 1, cts in 24 bits, one NAL unit with a 4-byte length. */
  private static String avcFrame(boolean keyframe, int cts, String nal) {
    return (keyframe ? "17" : "27") + "01" + String.format("%06x", cts) + String.format("%08x", nal.length() / 2) + nal;
  }

  /**
   * G.711 (FLV's SoundFormat 8, µ-law) on a track described as PCMU: each body's samples as they are, behind payload
   * type 0, at the 8 kHz clock from the track's offset, cut at the largest payload with the timestamp moved on by
   * the samples before; A-law and AAC on that track are left out.
   */
  @Test
  void g711IsCarriedAsItsSamplesOnATrackDescribedAsG711() {
    RtpTrackEncoder pcmu = new RtpTrackEncoder(new RtpTrackEncoder.Setup(0, 0x1111L, 100, VIDEO_OFFSET),
        new RtpTrackEncoder.Setup(2, 0x2222L, 200, AUDIO_OFFSET), AudioTrack.PCMU, 100);
    String samples = "d5".repeat(160);
    List<Interleaved> first = encode(pcmu, MediaKind.AUDIO, 20, "82" + samples);
    assertThat(first).extracting(Interleaved::channel).containsExactly(2, 2);
    assertThat(first).extracting(Interleaved::payloadType).containsExactly(0, 0);
    assertThat(first).extracting(Interleaved::sequence).containsExactly(200, 201);
    // 20 ms at 8 kHz: 160 ticks after the offset; the second packet 100 samples later.
    assertThat(first).extracting(Interleaved::timestamp).containsExactly(AUDIO_OFFSET + 160, AUDIO_OFFSET + 260);
    assertThat(first).extracting(Interleaved::marker).containsExactly(false, false);
    assertThat(first.get(0).payload() + first.get(1).payload()).isEqualTo(samples);
    assertThat(encode(pcmu, MediaKind.AUDIO, 40, "72" + samples)).as("A-law on a PCMU track").isEmpty();
    assertThat(encode(pcmu, MediaKind.AUDIO, 0, AAC_CONFIG)).isEmpty();
    assertThat(encode(pcmu, MediaKind.AUDIO, 60, "af01" + "21".repeat(10))).as("AAC on a PCMU track").isEmpty();
    assertThat(pcmu.audioStats().clockRate()).isEqualTo(8000);
    assertThat(pcmu.audioStats().packets()).isEqualTo(2);
    assertThat(encode(MediaKind.AUDIO, 0, "82" + samples)).as("G.711 on an AAC track").isEmpty();
  }

  @Test
  void configurationsEncodeToNothingAndAreKeptForTheDescription() {
    assertThat(encoder.videoTrack()).isNull();
    assertThat(encoder.audioTrack()).isNull();
    assertThat(encode(MediaKind.VIDEO, 0, AVC_CONFIG)).isEmpty();
    assertThat(encode(MediaKind.AUDIO, 0, AAC_CONFIG)).isEmpty();
    assertThat(encode(MediaKind.DATA, 0, "02000a6f6e4d65746144617461")).isEmpty();
    assertThat(encoder.avcConfig().sps()).hasSize(1);
    assertThat(encoder.aacConfig().sampleRate()).isEqualTo(44100);
    assertThat(Sdp.describe("s", "127.0.0.1", 1, encoder.videoTrack(), encoder.audioTrack()))
        .contains("profile-level-id=64001E;").contains("mpeg4-generic/44100/2").contains("config=1210");
  }

  @Test
  void videoStartsAtTheFirstKeyframeWithItsParameterSetsAndAudioGoesBefore() {
    encode(MediaKind.VIDEO, 0, AVC_CONFIG);
    encode(MediaKind.AUDIO, 0, AAC_CONFIG);
    assertThat(encode(MediaKind.VIDEO, 960, avcFrame(false, 0, "419a01"))).isEmpty();
    List<Interleaved> audio = encode(MediaKind.AUDIO, 1000, "af01" + "21112233");
    assertThat(audio).hasSize(1);
    Interleaved aac = audio.get(0);
    assertThat(aac.channel()).isEqualTo(2);
    assertThat(aac.payloadType()).isEqualTo(97);
    assertThat(aac.ssrc()).isEqualTo(0x2222L);
    assertThat(aac.sequence()).isEqualTo(200);
    assertThat(aac.timestamp()).isEqualTo(AUDIO_OFFSET + 1000 * 44100 / 1000);
    assertThat(aac.payload()).isEqualTo("0010" + "0020" + "21112233");
    assertThat(encoder.videoStarted()).isFalse();

    List<Interleaved> key = encode(MediaKind.VIDEO, 1000, avcFrame(true, 0, "65888000"));
    assertThat(key).extracting(Interleaved::payload).containsExactly(SPS, PPS, "65888000");
    assertThat(key).extracting(Interleaved::channel).containsOnly(0);
    assertThat(key).extracting(Interleaved::payloadType).containsOnly(96);
    assertThat(key).extracting(Interleaved::ssrc).containsOnly(0x1111L);
    assertThat(key).extracting(Interleaved::sequence).containsExactly(100, 101, 102);
    assertThat(key).extracting(Interleaved::timestamp).containsOnly(VIDEO_OFFSET + 1000 * 90);
    assertThat(key).extracting(Interleaved::marker).containsExactly(false, false, true);

    // A B-frame order: dts 1040, cts 40, presented at 1080 ms.
    List<Interleaved> inter = encode(MediaKind.VIDEO, 1040, avcFrame(false, 40, "419a02"));
    assertThat(inter).singleElement().satisfies(p -> {
      assertThat(p.timestamp()).isEqualTo(VIDEO_OFFSET + (1040 + 40) * 90);
      assertThat(p.sequence()).isEqualTo(103);
      assertThat(p.payload()).isEqualTo("419a02");
    });
  }

  @Test
  void theCountsAndTheClockAreThereForSenderReports() {
    encode(MediaKind.VIDEO, 0, AVC_CONFIG);
    encode(MediaKind.AUDIO, 0, AAC_CONFIG);
    encode(MediaKind.VIDEO, 2000, avcFrame(true, 0, "65888000"));
    encode(MediaKind.AUDIO, 2000, "af01" + "211122");
    RtpTrackEncoder.TrackStats video = encoder.videoStats();
    assertThat(video.packets()).isEqualTo(3);
    assertThat(video.octets()).isEqualTo(SPS.length() / 2 + PPS.length() / 2 + 4);
    assertThat(video.lastTimestamp()).isEqualTo(VIDEO_OFFSET + 2000 * 90);
    // The wall clock passed with the packet was 12 000 ms: half a second later is 45 000 ticks on.
    assertThat(video.timestampAt(12_500)).isEqualTo(VIDEO_OFFSET + 2000 * 90 + 45_000);
    RtpTrackEncoder.TrackStats audio = encoder.audioStats();
    assertThat(audio.packets()).isEqualTo(1);
    assertThat(audio.octets()).isEqualTo(4 + 3);
    assertThat(audio.clockRate()).isEqualTo(44100);
    assertThat(audio.timestampAt(13_000)).isEqualTo(AUDIO_OFFSET + 2000 * 44100 / 1000 + 44100);
  }

  @Test
  void aTrackThePlayerDidNotSetUpEncodesToNothing() {
    RtpTrackEncoder audioOnly = new RtpTrackEncoder(-1, 1, 0, 7, 0, 0, 0, 0, 1400);
    encode(audioOnly, MediaKind.VIDEO, 0, AVC_CONFIG);
    encode(audioOnly, MediaKind.AUDIO, 0, AAC_CONFIG);
    assertThat(encode(audioOnly, MediaKind.VIDEO, 0, avcFrame(true, 0, "65888000"))).isEmpty();
    assertThat(encode(audioOnly, MediaKind.AUDIO, 0, "af01" + "2111")).extracting(Interleaved::channel)
        .containsExactly(1);
    assertThat(audioOnly.videoWriter()).isNull();
    assertThat(audioOnly.videoStats()).isNull();
    assertThat(audioOnly.videoTrack()).isNotNull(); // still described: the client chose not to set it up

    RtpTrackEncoder videoOnly = new RtpTrackEncoder(4, -1, 0, 0, 0, 0, 0, 0, 1400);
    encode(videoOnly, MediaKind.AUDIO, 0, AAC_CONFIG);
    assertThat(encode(videoOnly, MediaKind.AUDIO, 0, "af01" + "2111")).isEmpty();
    encode(videoOnly, MediaKind.VIDEO, 0, AVC_CONFIG);
    assertThat(encode(videoOnly, MediaKind.VIDEO, 0, avcFrame(true, 0, "65888000")))
        .extracting(Interleaved::channel).containsOnly(4);
  }

  @Test
  void hevcInEnhancedRtmpIsCarried() {
    // Keyframe SequenceStart of hvc1, then a keyframe CodedFramesX (no composition time) with an IDR_W_RADL.
    encode(MediaKind.VIDEO, 0, "90" + "68766331" + H265PacketizerTest.HVCC);
    assertThat(encoder.videoTrack().encodingName()).isEqualTo("H265");
    List<Interleaved> key = encode(MediaKind.VIDEO, 40, "93" + "68766331" + "00000003" + "2601aa");
    assertThat(key).extracting(Interleaved::payload)
        .containsExactly(H265PacketizerTest.VPS, H265PacketizerTest.SPS, H265PacketizerTest.PPS, "2601aa");
    assertThat(key).extracting(Interleaved::timestamp).containsOnly(VIDEO_OFFSET + 40 * 90);
  }

  @Test
  void vp9AndOpusAreNotCarriedAndReplaceTheCodecsBeforeThem() {
    encode(MediaKind.VIDEO, 0, AVC_CONFIG);
    encode(MediaKind.AUDIO, 0, AAC_CONFIG);
    encode(MediaKind.VIDEO, 0, avcFrame(true, 0, "65888000"));
    // vp09 SequenceStart with a vpcC, then a keyframe CodedFramesX.
    assertThat(encode(MediaKind.VIDEO, 0, "90" + "76703039" + "01000000" + "001f82010101" + "0000")).isEmpty();
    assertThat(encode(MediaKind.VIDEO, 0, "93" + "76703039" + "82498342")).isEmpty();
    assertThat(encoder.videoTrack()).isNull();
    // Opus: a SequenceStart with an OpusHead (ExAudio: 0x90, type 0 in the low bits).
    encode(MediaKind.AUDIO, 0, "90" + "4f707573" + "4f7075734865616401023801" + "80bb0000" + "000000");
    assertThat(encode(MediaKind.AUDIO, 0, "91" + "4f707573" + "fc")).isEmpty();
    assertThat(encoder.audioTrack()).isNull();
  }

  @Test
  void aMalformedFrameEncodesToNothingAndTheNextOneGoesOn() {
    encode(MediaKind.VIDEO, 0, AVC_CONFIG);
    encode(MediaKind.VIDEO, 0, avcFrame(true, 0, "65888000"));
    assertThat(encode(MediaKind.VIDEO, 40, "2701000000" + "000000ff" + "41")).isEmpty();
    assertThat(encode(MediaKind.VIDEO, 80, avcFrame(false, 0, "419a03"))).singleElement()
        .satisfies(p -> assertThat(p.sequence()).isEqualTo(103));
  }
}
