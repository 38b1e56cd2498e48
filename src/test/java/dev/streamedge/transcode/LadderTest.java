package dev.streamedge.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code transcode.ladder} as {@link Rendition} reads it, and its bounds. */
@Tag("unit")
class LadderTest {

  @Test
  void itemsAreNameSizeAndRateWithAnOptionalEncoder() {
    assertThat(Rendition.parseAll("720p=1280x720@2500k, 480p=854x480@1200k/h264_nvenc,360p=640x360@600k"))
        .containsExactly(new Rendition("720p", 1280, 720, 2500, ""), new Rendition("480p", 854, 480, 1200, "h264_nvenc"),
            new Rendition("360p", 640, 360, 600, ""));
    assertThat(Rendition.parseAll("")).isEmpty();
    assertThat(new Rendition("480p", 854, 480, 1200, "").streamName("test")).isEqualTo("test_480p");
  }

  @Test
  void oddSidesUnknownFormsRepeatedNamesAndRatesOutOfBoundsAreRefused() {
    for (String bad : List.of("720p=1281x720@2500k", "720p=1280x720", "720p=1280x720@2500", "720p=1280x720@2.5M",
        "a=16x16@16k,a=32x32@32k", "a_b=16x16@16k", "x=14x16@16k", "x=7682x16@16k", "x=16x16@15k",
        "x=16x16@100001k", "x=16x16@16k/", "x=16x16@16k/libx264 -crf", "x=16x16@16k,", ",x=16x16@16k")) {
      assertThat(Rendition.parseAll(bad)).as(bad).isNull();
    }
    assertThat(Rendition.parseAll("x=16x16@16k,y=7680x7680@100000k")).hasSize(2);
  }

  @Test
  void atMostEightRenditions() {
    StringBuilder ladder = new StringBuilder();
    for (int i = 1; i <= Rendition.MAX_RENDITIONS + 1; i++) {
      ladder.append(i == 1 ? "" : ",").append("r").append(i).append("=320x240@").append(100 + i).append('k');
      if (i == Rendition.MAX_RENDITIONS) {
        assertThat(Rendition.parseAll(ladder.toString())).hasSize(Rendition.MAX_RENDITIONS);
      }
    }
    assertThat(Rendition.parseAll(ladder.toString())).isNull();
  }
}
