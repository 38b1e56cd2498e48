package dev.streamedge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A query parameter is read as Vert.x's {@code getParam} reads it, without decoding the rest of the query. */
@Tag("unit")
class QueryParamTest {

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
      _HLS_msn=12&_HLS_part=3                 | _HLS_part | 3
      _HLS_msn=12&_HLS_part=3                 | _HLS_msn  | 12
      _HLS_msn=12&_HLS_part=3                 | _HLS_skip | NULL
      _hls_MSN=12                             | _HLS_msn  | 12
      _HLS_msn=1&_HLS_msn=2                   | _HLS_msn  | 1
      a=1;_HLS_msn=7                          | _HLS_msn  | 7
      _HLS_skip                               | _HLS_skip | ''
      _HLS_skip=                              | _HLS_skip | ''
      x_HLS_msn=1&_HLS_msnx=2                 | _HLS_msn  | NULL
      hls_ctx=a%20b+c                         | hls_ctx   | a b c
      %5FHLS_msn=5                            | _HLS_msn  | 5
      =_HLS_msn                               | _HLS_msn  | ''
      _HLS_msn==5                             | _HLS_msn  | =5
      &&_HLS_msn=5&                           | _HLS_msn  | 5
      _HLS_msn=5#_HLS_part=1                  | _HLS_part | NULL
      ''                                      | _HLS_msn  | NULL
      """)
  void findsTheFirstPairOfTheNameWhateverItsCase(String query, String name, String expected) {
    assertThat(QueryParam.first(query, name)).isEqualTo(expected);
  }

  @Test
  void aBadlyEncodedValueOfTheNameIsAnErrorAndOfAnotherNameIsNot() {
    assertThatThrownBy(() -> QueryParam.first("_HLS_msn=%zz", "_HLS_msn")).isInstanceOf(IllegalArgumentException.class);
    assertThat(QueryParam.first("other=%zz&_HLS_msn=4", "_HLS_msn")).isEqualTo("4");
    assertThat(QueryParam.first("%zz=1&_HLS_msn=4", "_HLS_msn")).isEqualTo("4");
    assertThat(QueryParam.first(null, "_HLS_msn")).isNull();
  }

  /** 200,000 random queries against Netty's decoder, which Vert.x's getParam uses, read case-insensitively. */
  @Test
  void agreesWithNettysDecoderOnRandomQueries() {
    Random random = new Random(20261203);
    String alphabet = "aAbB_=&;%+2F05#x";
    List<String> names = List.of("a", "A", "ab", "_", "b_", "x");
    int compared = 0;
    for (int n = 0; n < 200_000; n++) {
      StringBuilder query = new StringBuilder();
      int length = random.nextInt(14);
      for (int i = 0; i < length; i++) {
        query.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      Map<String, List<String>> netty;
      try {
        netty = new QueryStringDecoder(query.toString(), StandardCharsets.UTF_8, false, 1024, false).parameters();
      } catch (IllegalArgumentException badlyEncoded) {
        continue;
      }
      for (String name : names) {
        String expected = netty.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
            .map(e -> e.getValue().get(0)).orElse(null);
        assertThat(QueryParam.first(query.toString(), name)).as("%s in %s", name, query).isEqualTo(expected);
        compared++;
      }
    }
    assertThat(compared).isGreaterThan(300_000);
  }
}
