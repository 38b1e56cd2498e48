package dev.streamedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A storm of events logs one line per window, and the next line tells how many were left out. */
@Tag("unit")
class ThrottledLogTest {

  private final AtomicLong now = new AtomicLong(Long.MAX_VALUE - 5_000_000_000L);
  private final ThrottledLog log = new ThrottledLog(LoggerFactory.getLogger(ThrottledLogTest.class),
      Duration.ofSeconds(10), now::get);

  @Test
  void theFirstEventIsLoggedAndTheRestOfItsWindowOnlyCounted() {
    assertThat(log.admit()).isZero();
    for (int i = 0; i < 999; i++) {
      now.addAndGet(1_000_000);
      assertThat(log.admit()).as("event %d, within the window", i + 2).isEqualTo(-1);
    }
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    assertThat(log.admit()).as("the first event of the next window: the ones left out").isEqualTo(999);
    assertThat(log.admit()).isEqualTo(-1);
  }

  @Test
  void anEventExactlyAWindowLaterIsLoggedAcrossTheClocksWrap() {
    assertThat(log.admit()).isZero();
    now.addAndGet(Duration.ofSeconds(10).toNanos() - 1);
    assertThat(log.admit()).isEqualTo(-1);
    // The clock passes Long.MAX_VALUE here: nanoTime values are compared by difference.
    now.addAndGet(1);
    assertThat(log.admit()).isEqualTo(1);
  }
}
