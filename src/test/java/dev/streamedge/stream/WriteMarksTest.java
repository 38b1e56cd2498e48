package dev.streamedge.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Marks date a byte by the earliest mark at or after it: bounded, and never older than the byte. */
@Tag("unit")
class WriteMarksTest {

  @Test
  void aByteIsDatedByTheEarliestMarkAtOrAfterIt() {
    WriteMarks marks = new WriteMarks(100);
    marks.add(0, 1_000);
    marks.add(500, 1_100);
    marks.add(900, 1_200);
    assertThat(marks.receivedBy(0, -1)).isEqualTo(1_000);
    assertThat(marks.receivedBy(1, -1)).isEqualTo(1_100);
    assertThat(marks.receivedBy(500, -1)).isEqualTo(1_100);
    assertThat(marks.receivedBy(899, -1)).isEqualTo(1_200);
  }

  @Test
  void aByteWrittenSinceTheLatestMarkGetsTheCallersDefault() {
    WriteMarks marks = new WriteMarks(100);
    assertThat(marks.receivedBy(42, 7)).isEqualTo(7);
    marks.add(0, 1_000);
    assertThat(marks.receivedBy(1, 7)).isEqualTo(7);
  }

  @Test
  void aMarkIsDueOncePerInterval() {
    WriteMarks marks = new WriteMarks(100);
    assertThat(marks.due(Long.MIN_VALUE + 1)).isTrue();
    marks.add(0, 1_000);
    assertThat(marks.due(1_099)).isFalse();
    assertThat(marks.due(1_100)).isTrue();
  }

  @Test
  void aByteOlderThanEveryKeptMarkGetsTheOldestKeptTime() {
    WriteMarks marks = new WriteMarks(1);
    for (int i = 0; i < WriteMarks.CAPACITY + 10; i++) {
      marks.add(i * 100L, i);
    }
    assertThat(marks.receivedBy(0, -1)).isEqualTo(10);
    assertThat(marks.receivedBy(15 * 100L, -1)).isEqualTo(15);
  }
}
