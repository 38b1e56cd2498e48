package dev.streamedge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The callback answer cache is bounded in time and in entries. */
@Tag("unit")
class AnswerCacheTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void anAnswerIsReusedUntilItsTimeToLiveIsOver() {
    AnswerCache<String, String> cache = new AnswerCache<>(10, 5 * SECOND);
    cache.put("q", "yes", 100 * SECOND);

    assertThat(cache.get("q", 100 * SECOND)).contains("yes");
    assertThat(cache.get("q", 105 * SECOND - 1)).contains("yes");
    assertThat(cache.get("q", 105 * SECOND)).isEmpty();
    assertThat(cache.size()).as("an expired answer is removed when met").isZero();
  }

  @Test
  void atItsSizeTheLeastRecentlyUsedAnswerLeaves() {
    AnswerCache<String, String> cache = new AnswerCache<>(2, 60 * SECOND);
    cache.put("a", "1", 0);
    cache.put("b", "2", 0);
    assertThat(cache.get("a", 1)).contains("1");
    cache.put("c", "3", 2);

    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.get("b", 3)).as("least recently used").isEmpty();
    assertThat(cache.get("a", 3)).contains("1");
    assertThat(cache.get("c", 3)).contains("3");
  }

  @Test
  void aTimeToLiveOfZeroKeepsNothing() {
    AnswerCache<String, String> cache = new AnswerCache<>(10, 0);
    cache.put("q", "yes", 0);

    assertThat(cache.get("q", 0)).isEqualTo(Optional.empty());
    assertThat(cache.size()).isZero();
  }
}
