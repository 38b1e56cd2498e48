package dev.streamedge.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A player's count of missing and reordered frames, across a change of the stream's publisher. */
@Tag("unit")
class PlayerTrackTest {

  private final LoadMeter meter = new LoadMeter();
  private final PlayerTrack track = new PlayerTrack(meter, 0);

  @Test
  void aNewPublishersMarksStartAgainWithoutCountingAsReordered() {
    track.playSent(1_000);
    // An HLS player's first segment, from the publisher before the restart: marks 900..902 sent long ago.
    track.frame(true, new FrameMark.Mark(900, 100), 2_000);
    track.frame(false, new FrameMark.Mark(901, 140), 2_001);
    // The new publisher counts from 0, sent after those.
    track.frame(true, new FrameMark.Mark(0, 1_500), 2_002);
    track.frame(false, new FrameMark.Mark(1, 1_540), 2_003);
    track.frame(false, new FrameMark.Mark(3, 1_620), 2_004);

    assertThat(meter.publisherRestarts.sum()).isEqualTo(1);
    assertThat(meter.reordered.sum()).isZero();
    assertThat(meter.missing.sum()).isEqualTo(1);
  }

  @Test
  void aLowerMarkSentEarlierIsReordered() {
    track.playSent(1_000);
    track.frame(true, new FrameMark.Mark(10, 1_100), 2_000);
    track.frame(false, new FrameMark.Mark(12, 1_180), 2_001);
    track.frame(false, new FrameMark.Mark(11, 1_140), 2_002);
    track.frame(false, new FrameMark.Mark(12, 1_180), 2_003);

    assertThat(meter.reordered.sum()).isEqualTo(2);
    assertThat(meter.publisherRestarts.sum()).isZero();
    assertThat(meter.missing.sum()).isEqualTo(1);
  }
}
