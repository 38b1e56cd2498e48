package dev.streamedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.regex.Matcher;
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
      /hls/test/key-170.key                  | KEY live test 170 MPEGTS short
      /hls/cams/door/key-170.key             | KEY cams door 170 MPEGTS long
      /hls/cams/door/key-.key                | NULL
      /hls/cams/door/key-1.mp4               | NULL
      /hls/cams/door/170.key                 | NULL
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

  /** docs/playback.md's URL forms as patterns: the reference the reader in place is held to. */
  private static final Pattern SEED_SHORT = Pattern.compile("/hls/([^/]+)\\.m3u8");
  private static final Pattern SEED = Pattern.compile("/hls/([^/]+)/([^/]+)\\.m3u8");
  private static final Pattern VARIANT = Pattern.compile("/hls/([^/]+)/([^/]+)/(ts|fmp4|ll)\\.m3u8");
  private static final Pattern MEDIA = Pattern.compile("/hls/(?:([^/]+)/)?([^/]+)/"
      + "(?:(\\d{1,18})\\.ts|p(\\d{1,18})\\.m4s|(\\d{1,18})\\.m4s|init-(\\d{1,18})\\.mp4|key-(\\d{1,18})\\.key)");

  private static String reference(String path) {
    Matcher m;
    if ((m = SEED_SHORT.matcher(path)).matches()) {
      return "SEED_PLAYLIST live " + m.group(1) + " null null short";
    }
    if ((m = SEED.matcher(path)).matches()) {
      return "SEED_PLAYLIST " + m.group(1) + " " + m.group(2) + " null null long";
    }
    if ((m = VARIANT.matcher(path)).matches()) {
      String variant = switch (m.group(3)) {
        case "ts" -> "MPEGTS";
        case "fmp4" -> "FMP4";
        default -> "LOW_LATENCY";
      };
      return "VARIANT_PLAYLIST " + m.group(1) + " " + m.group(2) + " null " + variant + " long";
    }
    if ((m = MEDIA.matcher(path)).matches()) {
      String app = m.group(1) == null ? "live " : m.group(1) + " ";
      String form = m.group(1) == null ? " short" : " long";
      String what = m.group(3) != null ? "SEGMENT " + app + m.group(2) + " " + m.group(3) + " MPEGTS"
          : m.group(4) != null ? "PART " + app + m.group(2) + " " + m.group(4) + " LOW_LATENCY"
          : m.group(5) != null ? "SEGMENT " + app + m.group(2) + " " + m.group(5) + " FMP4"
          : m.group(6) != null ? "INIT " + app + m.group(2) + " " + m.group(6) + " FMP4"
          : "KEY " + app + m.group(2) + " " + m.group(7) + " MPEGTS";
      return what + form;
    }
    return null;
  }

  @Test
  void readsRandomPathsAsTheUrlPatternsDo() {
    String[] tokens = {"/", "/", "/hls/", "live", "cams", "p", "init-", "key-", "0", "7", "123", "1234567890123456789",
        ".ts", ".m4s", ".mp4", ".key", ".m3u8", "ts.m3u8", "ll.m3u8", "fmp4.m3u8", "x", "-", ".", "\u0661"};
    SplittableRandom random = new SplittableRandom(3986);
    int read = 0;
    for (int i = 0; i < 200_000; i++) {
      StringBuilder path = new StringBuilder(random.nextInt(10) == 0 ? "/" : "/hls/");
      int count = random.nextInt(1, 7);
      for (int j = 0; j < count; j++) {
        path.append(tokens[random.nextInt(tokens.length)]);
      }
      String candidate = path.toString();
      HlsPath parsed = HlsPath.parse(candidate);
      String actual = parsed == null ? null
          : String.join(" ", parsed.kind().name(), parsed.app(), parsed.name(), String.valueOf(parsed.number()),
              String.valueOf(parsed.variant()), parsed.shortForm() ? "short" : "long");
      assertThat(actual).as(candidate).isEqualTo(reference(candidate));
      read += parsed == null ? 0 : 1;
    }
    // The generator reaches the forms, not only garbage.
    assertThat(read).isGreaterThan(5_000);
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
