package dev.streamedge.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What a background check throws reaches the test; a check that does not stop fails it too. */
@Tag("unit")
class BackgroundTest {

  @Test
  void anAssertionFailingInTheBackgroundFailsFinish() {
    Background check = Background.start("failing-check", self -> assertThat(1).as("the background check").isEqualTo(2));
    assertThatThrownBy(check::finish).isInstanceOf(AssertionError.class).hasMessageContaining("the background check");
  }

  @Test
  void anExceptionInTheBackgroundComesBackFromClose() {
    assertThatThrownBy(() -> {
      try (Background check = Background.start("throwing-check", self -> {
        throw new IOException("no answer");
      })) {
        assertThat(check.running()).isTrue();
      }
    }).isInstanceOf(IOException.class).hasMessage("no answer");
  }

  @Test
  void aCheckRunsUntilFinishAndThenFinishIsQuiet() throws Exception {
    AtomicInteger rounds = new AtomicInteger();
    Background check = Background.start("looping-check", self -> {
      while (self.running()) {
        rounds.incrementAndGet();
        Thread.onSpinWait();
      }
    });
    Await.until("a few rounds", java.time.Duration.ofSeconds(5), () -> rounds.get() > 3);
    check.finish();
    int after = rounds.get();
    check.finish();
    assertThat(rounds.get()).as("rounds after finish").isEqualTo(after);
  }
}
