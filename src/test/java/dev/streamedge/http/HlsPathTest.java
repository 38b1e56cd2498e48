package dev.streamedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every HLS URL form of docs/playback.md is read from its path, and nothing else is. */
@Tag("unit")
class HlsPathTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
      /hls/test.m3u8                         | SEED_PLAYLIST live test NULL NULL short
      /hls/cams/door.m3u8                    | SEED_PLAYLIST cams door NULL NULL long
      /hls/live/ts.m3u8                      | SEED_PLAYLIST live ts NULL NULL long
      /hls/cams/door/ts.m3u8                 | VARIANT_PLAYLIST cams door NULL MPEGTS long
      /hls/cams/door/fmp4.m3u8               | VARIANT_PLAYLIST cams door NULL FMP4 long
      /hls/cams/door/ll.m3u8                 | VARIANT_PLAYLIST cams door NULL LOW_LATENCY long
      /hls/test/1234.ts                      | SEGMENT live test 1234 MPEGTS short
      /hls/cams/door/0.ts                    | SEGMENT cams door 0 MPEGTS long
      /hls/test/77.m4s                       | SEGMENT live test 77 FMP4 short
      /hls/cams/door/77.m4s                  | SEGMENT cams door 77 FMP4 long
      /hls/test/p5.m4s                       | PART live test 5 LOW_LATENCY short
      /hls/cams/door/p123456789012345678.m4s | PART cams door 123456789012345678 LOW_LATENCY long
      /hls/test/init-3.mp4                   | INIT live test 3 FMP4 short
      /hls/cams/door/init-3.mp4              | INIT cams door 3 FMP4 long
      /hls/cams/door/1234567890123456789.ts  | NULL
      /hls/cams/door/p.m4s                   | NULL
      /hls/cams/door/init-.mp4               | NULL
      /hls/cams/door/init-x.mp4              | NULL
      /hls/cams/door/-1.ts                   | NULL
      /hls/cams/door/1e3.ts                  | NULL
      /hls/cams/door/other.m3u8              | NULL
      /hls/cams/door/x.ts                    | NULL
      /hls/cams/door/                        | NULL
      /hls/cams/door/7.ts/                   | NULL
      /hls/a/b/c/d.m3u8                      | NULL
      /hls/a/b/c/1.ts                        | NULL
      /hls//door/1.ts                        | NULL
      /hls/cams//1.ts                        | NULL
      /hls/.m3u8                             | NULL
      /hls/test                              | NULL
      /hls/                                  | NULL
      /hls                                   | NULL
      /hls/test.flv                          | NULL
      /live/test.m3u8                        | NULL
      """)
  void everyUrlFormIsReadAndNothingElse(String path, String expected) {
    HlsPath parsed = HlsPath.parse(path);
    String actual = parsed == null ? null
        : String.join(" ", parsed.kind().name(), parsed.app(), parsed.name(), String.valueOf(parsed.number()),
            String.valueOf(parsed.variant()), parsed.shortForm() ? "short" : "long");
    assertThat(actual).isEqualTo(expected == null ? null : expected.replace("NULL", "null"));
  }

  @Test
  void numbersAreWhatTheDigitPatternMatches() {
    Pattern msn = Pattern.compile("\\d{1,18}");
    Pattern part = Pattern.compile("\\d{1,9}");
    String alphabet = "0123456789a-+ .\u0661\uff11";
    SplittableRandom random = new SplittableRandom(8216);
    for (int i = 0; i < 200_000; i++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(0, 21);
      for (int j = 0; j < length; j++) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String candidate = text.toString();
      assertThat(HlsPath.isNumber(candidate, 18)).as(candidate).isEqualTo(msn.matcher(candidate).matches());
      assertThat(HlsPath.isNumber(candidate, 9)).as(candidate).isEqualTo(part.matcher(candidate).matches());
    }
  }
}
