package dev.streamedge.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** ffmpeg's -progress values as ffmpeg 5.1 and 8 write them. */
@Tag("unit")
class ProgressTest {

  @Test
  void speedIsTheNumberBeforeTheX() {
    assertThat(Progress.speed("1.02x")).isEqualTo(1.02);
    assertThat(Progress.speed(" 27.2x")).isEqualTo(27.2);
    assertThat(Progress.speed("N/A")).isZero();
    assertThat(Progress.speed("-1x")).isZero();
    assertThat(Progress.speed("NaNx")).isZero();
    assertThat(Progress.speed("")).isZero();
  }

  @Test
  void countsAreWholeNumbers() {
    assertThat(Progress.count("1234")).isEqualTo(1234);
    assertThat(Progress.count("N/A")).isZero();
    assertThat(Progress.count("-3")).isZero();
  }
}
