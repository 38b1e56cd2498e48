package dev.streamedge.media.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.FuzzSeeds;
import io.netty.buffer.Unpooled;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** nginx-rtmp's words for a stream's codecs (its /stat page), from real sequence headers. */
@Tag("unit")
class CodecDetailsTest {

  @Test
  void avcAndAacSequenceHeadersGiveProfileCompatLevelChannelsAndRate() {
    // FLV tag bodies: AVC keyframe sequence header (0x17 0x00 + composition time), AAC sequence header (0xaf 0x00).
    assertThat(CodecDetails.video(CodecBytes.buf("1700000000" + CodecBytes.AVC_MAIN_640X360)))
        .contains(new CodecDetails.Video("H264", 640, 360, "Main", 64, "3.0"));
    assertThat(CodecDetails.video(CodecBytes.buf("1700000000" + CodecBytes.AVC_HIGH_320X240)))
        .hasValueSatisfying(video -> assertThat(video.profile()).isEqualTo("High"));
    assertThat(CodecDetails.audio(CodecBytes.buf("af00" + CodecBytes.AAC_LC_44100_STEREO)))
        .contains(new CodecDetails.Audio("AAC", "LC", 2, 44100));
    assertThat(CodecDetails.audio(CodecBytes.buf("af00" + CodecBytes.AAC_LC_44100_MONO)))
        .contains(new CodecDetails.Audio("AAC", "LC", 1, 44100));
  }

  @Test
  void otherCodecsAreNamedByTheirFlvIdOrFourCc() {
    // Enhanced RTMP: IsExHeader with PacketType SequenceStart and FourCC hvc1, av01; Opus audio (SoundFormat 9).
    assertThat(CodecDetails.video(CodecBytes.buf("9068766331"))).contains(new CodecDetails.Video("H265", 0, 0, "", 0, ""));
    assertThat(CodecDetails.video(CodecBytes.buf("9061763031"))).contains(new CodecDetails.Video("AV1", 0, 0, "", 0, ""));
    assertThat(CodecDetails.audio(CodecBytes.buf("904f707573"))).contains(new CodecDetails.Audio("Opus", "", 0, 0));
    // Legacy ids: Sorenson H.263 (2), On2 VP6 (4); MP3 (2), Speex (11).
    assertThat(CodecDetails.video(CodecBytes.buf("22"))).contains(new CodecDetails.Video("Sorenson-H263", 0, 0, "", 0, ""));
    assertThat(CodecDetails.video(CodecBytes.buf("14"))).contains(new CodecDetails.Video("On2-VP6", 0, 0, "", 0, ""));
    assertThat(CodecDetails.audio(CodecBytes.buf("2f00"))).contains(new CodecDetails.Audio("MP3", "", 0, 0));
    assertThat(CodecDetails.audio(CodecBytes.buf("b600"))).contains(new CodecDetails.Audio("Speex", "", 0, 0));
  }

  @Test
  void brokenHeadersAndUnknownIdsGiveNothing() {
    assertThat(CodecDetails.video(CodecBytes.buf(""))).isEmpty();
    assertThat(CodecDetails.video(CodecBytes.buf("1700000000ff"))).isEmpty();
    assertThat(CodecDetails.video(CodecBytes.buf("1f"))).as("codec id 15").isEmpty();
    assertThat(CodecDetails.audio(CodecBytes.buf("af"))).isEmpty();
    assertThat(CodecDetails.audio(CodecBytes.buf("af00ff"))).isEmpty();
    assertThat(CodecDetails.audio(CodecBytes.buf("9f"))).isEmpty();
  }

  @Test
  void anyBytesGiveAnAnswerAndNeverAnException() {
    for (long seed : FuzzSeeds.with(new long[0])) {
      Random random = new Random(seed);
      for (int i = 0; i < 50_000; i++) {
        byte[] body = new byte[random.nextInt(40)];
        random.nextBytes(body);
        if (body.length > 0 && random.nextBoolean()) {
          body[0] = (byte) (random.nextBoolean() ? 0x17 : 0xaf);
        }
        try {
          CodecDetails.video(Unpooled.wrappedBuffer(body));
          CodecDetails.audio(Unpooled.wrappedBuffer(body));
        } catch (RuntimeException e) {
          throw new AssertionError("seed " + seed + " input " + i + ": " + e, e);
        }
      }
    }
  }
}
