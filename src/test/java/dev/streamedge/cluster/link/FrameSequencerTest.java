package dev.streamedge.cluster.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket.Role;
import dev.streamedge.media.MediaPacket;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class FrameSequencerTest {

  private static MediaFrame frame(long sequence, Role role) {
    return new MediaFrame(1, sequence, false, MediaKind.VIDEO, sequence * 40, role, false, Buffer.buffer(new byte[10]));
  }

  @Test
  void framesInOrderAreAllUsed() {
    FrameSequencer sequencer = new FrameSequencer();
    for (long i = 0; i < 100; i++) {
      assertThat(sequencer.accept(frame(i, i % 25 == 0 ? Role.SYNC : Role.FRAME))).isTrue();
    }
    assertThat(sequencer.gaps()).isZero();
    assertThat(sequencer.receivedBytes()).isEqualTo(1000);
  }

  @Test
  void afterAGapOnlyConfigurationPassesUntilTheNextSyncPoint() {
    FrameSequencer sequencer = new FrameSequencer();
    sequencer.accept(frame(0, Role.SYNC));
    sequencer.accept(frame(1, Role.FRAME));
    assertThat(sequencer.accept(frame(3, Role.FRAME))).as("frame after a lost one").isFalse();
    assertThat(sequencer.accept(frame(4, Role.CONFIG))).as("configuration").isTrue();
    assertThat(sequencer.accept(frame(5, Role.FRAME))).isFalse();
    assertThat(sequencer.accept(frame(6, Role.SYNC))).as("the next sync point").isTrue();
    assertThat(sequencer.accept(frame(7, Role.FRAME))).isTrue();
    assertThat(sequencer.gaps()).isEqualTo(1);
  }

  @Test
  void anEventSentAfterFramesWaitsUntilTheyAllCameOrWereGivenUpOn() {
    FrameSequencer sequencer = new FrameSequencer();
    assertThat(sequencer.hasAllBefore(0)).as("no frame sent before the event").isTrue();
    assertThat(sequencer.hasAllBefore(1)).as("frame 0 sent, none here").isFalse();
    sequencer.accept(frame(0, Role.SYNC));
    sequencer.accept(frame(1, Role.FRAME));
    assertThat(sequencer.hasAllBefore(2)).isTrue();
    assertThat(sequencer.hasAllBefore(3)).as("frame 2 still on its way").isFalse();
    sequencer.accept(frame(4, Role.FRAME)); // 2 and 3 lost: given up on
    assertThat(sequencer.hasAllBefore(5)).isTrue();
    assertThat(sequencer.hasAllBefore(6)).isFalse();
  }

  @Test
  void oldOrRepeatedFramesAreDropped() {
    FrameSequencer sequencer = new FrameSequencer();
    sequencer.accept(frame(0, Role.SYNC));
    sequencer.accept(frame(1, Role.FRAME));
    assertThat(sequencer.accept(frame(1, Role.FRAME))).isFalse();
    assertThat(sequencer.accept(frame(0, Role.SYNC))).isFalse();
    assertThat(sequencer.accept(frame(2, Role.FRAME))).isTrue();
    assertThat(sequencer.gaps()).isZero();
  }

  @Test
  void aDeliberateSkipByTheOriginIsNotAGap() {
    FrameSequencer sequencer = new FrameSequencer();
    sequencer.accept(frame(0, Role.SYNC));
    MediaFrame resync = new MediaFrame(1, 1, true, MediaKind.VIDEO, 4000, Role.SYNC, false, Buffer.buffer(new byte[10]));
    assertThat(sequencer.accept(resync)).isTrue();
    assertThat(sequencer.gaps()).isZero();
  }

  @Test
  void theOriginAndEdgeKeepStepThroughSkipsAndLosses() {
    CreditWindow window = new CreditWindow(1, 2000);
    FrameSequencer sequencer = new FrameSequencer();
    Random random = new Random(7);
    List<MediaFrame> used = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      Role role = i % 50 == 0 ? Role.SYNC : Role.FRAME;
      window.offer(new MediaPacket(MediaKind.VIDEO, i, role,
          Unpooled.wrappedBuffer(new byte[100 + random.nextInt(200)]), 0), frame -> {
            if (random.nextInt(500) != 0 && sequencer.accept(frame)) {
              used.add(frame);
            }
          });
      if (random.nextInt(4) == 0) {
        window.acknowledged(sequencer.receivedBytes());
      }
    }
    // Every run of used frames starts at a sync point and has no hole in it.
    for (int i = 1; i < used.size(); i++) {
      MediaFrame previous = used.get(i - 1);
      MediaFrame current = used.get(i);
      if (current.sequence() != previous.sequence() + 1) {
        assertThat(current.role()).as("frame after a hole").isEqualTo(Role.SYNC);
      }
    }
    assertThat(window.skipped()).as("the window was exercised").isPositive();
    assertThat(sequencer.gaps()).as("losses were exercised").isPositive();
  }
}
