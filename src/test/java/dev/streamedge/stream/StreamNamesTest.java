package dev.streamedge.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A name is 1 to 128 unreserved URL characters and no path step; checked without a regex. */
@Tag("unit")
class StreamNamesTest {

  /** The rule as it was written before, as a regular expression: the reference for the loop. */
  private static final Pattern RULE = Pattern.compile("[A-Za-z0-9._~-]{1,128}");

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(delimiter = '|', emptyValue = "", textBlock = """
      test          | true
      Cam_1.hd~x-y  | true
      ...           | true
      .a            | true
      .             | false
      ..            | false
      ''            | false
      a b           | false
      a/b           | false
      a%2Fb         | false
      é             | false
      a\tb          | false
      """)
  void namesAreUnreservedCharactersAndNoPathStep(String name, boolean valid) {
    assertThat(StreamNames.valid(name)).isEqualTo(valid);
  }

  @Test
  void lengthIsOneTo128() {
    assertThat(StreamNames.valid("a".repeat(128))).isTrue();
    assertThat(StreamNames.valid("a".repeat(129))).isFalse();
    assertThat(StreamNames.valid(null)).isFalse();
  }

  @Test
  void theLoopAcceptsExactlyWhatThePatternDoes() {
    SplittableRandom random = new SplittableRandom(20261203);
    String alphabet = "aZ09._~-/ %é\0+:";
    for (int i = 0; i < 200_000; i++) {
      StringBuilder name = new StringBuilder();
      int length = random.nextInt(4) == 0 ? 126 + random.nextInt(5) : random.nextInt(6);
      for (int j = 0; j < length; j++) {
        name.append(random.nextInt(8) == 0 ? (char) random.nextInt(0x250) : alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String text = name.toString();
      boolean expected = RULE.matcher(text).matches() && !text.equals(".") && !text.equals("..");
      assertThat(StreamNames.valid(text)).as("\"%s\"", text).isEqualTo(expected);
    }
  }
}
