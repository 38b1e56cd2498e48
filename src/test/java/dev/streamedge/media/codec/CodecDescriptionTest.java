package dev.streamedge.media.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What the stream directory records of a stream's codecs, from real sequence headers. */
@Tag("unit")
class CodecDescriptionTest {

  @Test
  void avcAndAacSequenceHeadersAreDescribedWithSizeRateAndChannels() {
    // FLV tag bodies: AVC keyframe sequence header (0x17 0x00 + composition time), AAC sequence header (0xaf 0x00).
    assertThat(CodecDescription.video(CodecBytes.buf("1700000000" + CodecBytes.AVC_MAIN_640X360)))
        .isEqualTo("H.264 640x360");
    assertThat(CodecDescription.video(CodecBytes.buf("1700000000" + CodecBytes.AVC_HIGH_320X240)))
        .isEqualTo("H.264 320x240");
    assertThat(CodecDescription.audio(CodecBytes.buf("af00" + CodecBytes.AAC_LC_44100_STEREO)))
        .isEqualTo("AAC 44100 Hz 2 ch");
    assertThat(CodecDescription.audio(CodecBytes.buf("af00" + CodecBytes.AAC_LC_44100_MONO)))
        .isEqualTo("AAC 44100 Hz 1 ch");
  }

  @Test
  void otherCodecsAndBrokenHeadersAreNamedAsSuch() {
    // HEVC over enhanced RTMP (IsExHeader, FourCC hvc1) and MP3 (SoundFormat 2).
    assertThat(CodecDescription.video(CodecBytes.buf("9068766331"))).isEqualTo("not H.264");
    assertThat(CodecDescription.audio(CodecBytes.buf("2f00"))).isEqualTo("MP3");
    assertThat(CodecDescription.audio(CodecBytes.buf("82d5d5"))).isEqualTo("G711U 8000 Hz 1 ch");
    assertThat(CodecDescription.audio(CodecBytes.buf("72d5d5"))).isEqualTo("G711A 8000 Hz 1 ch");
    assertThat(CodecDescription.audio(CodecBytes.buf("9f00"))).isEqualTo("not AAC");
    assertThat(CodecDescription.video(CodecBytes.buf("1700000000ff"))).isEqualTo("H.264 (unreadable header)");
    assertThat(CodecDescription.audio(CodecBytes.buf("af"))).isEqualTo("AAC (unreadable header)");
  }
}
