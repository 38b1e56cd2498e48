package dev.streamedge.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** ffmpeg's -progress counts (frame=, out_time_us=) as ffmpeg 5.1 and 8 write them. */
@Tag("unit")
class ProgressTest {

  @Test
  void countsAreWholeNumbers() {
    assertThat(Progress.count("1234")).isEqualTo(1234);
    assertThat(Progress.count("N/A")).isZero();
    assertThat(Progress.count("-3")).isZero();
    assertThat(Progress.count("4533000")).isEqualTo(4_533_000);
  }
}
