package dev.streamedge.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TimelineTest {

  @Test
  void theFirstSessionKeepsItsOwnTimestamps() {
    Timeline timeline = new Timeline();

    assertThat(timeline.rebase(1000)).isEqualTo(1000);
    assertThat(timeline.rebase(1040)).isEqualTo(1040);
  }

  @Test
  void aNewSessionStartsJustAfterTheNewestTimestampOfAnyKind() {
    Timeline timeline = new Timeline();
    timeline.rebase(0);
    timeline.rebase(5000); // video
    timeline.rebase(4990); // audio, slightly behind: the session ends on it

    timeline.newSession();

    assertThat(timeline.rebase(0)).isEqualTo(5001);
    assertThat(timeline.rebase(40)).isEqualTo(5041);
  }

  @Test
  void aSessionAfterThe32BitWrapContinuesFromTheWrappedTimestamp() {
    Timeline timeline = new Timeline();
    timeline.rebase(0xFFFF_FF00L);
    assertThat(timeline.rebase(0x10)).as("the publisher's timestamp wrapped too").isEqualTo(0x10);

    timeline.newSession();

    assertThat(timeline.rebase(0)).isEqualTo(0x11);
  }
}
