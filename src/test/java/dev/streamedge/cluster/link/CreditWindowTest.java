package dev.streamedge.cluster.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket.Role;
import dev.streamedge.media.MediaPacket;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class CreditWindowTest {

  private final List<MediaFrame> sent = new ArrayList<>();
  private long ts;

  private MediaPacket packet(MediaKind kind, Role role, int size) {
    return new MediaPacket(kind, ts++, role, Unpooled.wrappedBuffer(new byte[size]), System.nanoTime());
  }

  @Test
  void sendsWhileTheWindowHasRoomAndNumbersFramesFromZero() {
    CreditWindow window = new CreditWindow(1, 1000);
    window.offer(packet(MediaKind.VIDEO, Role.SYNC, 400), sent::add);
    window.offer(packet(MediaKind.VIDEO, Role.FRAME, 400), sent::add);
    assertThat(sent).extracting(MediaFrame::sequence).containsExactly(0L, 1L);
    assertThat(window.inFlightBytes()).isEqualTo(800);
    assertThat(sent).noneMatch(MediaFrame::resync);
  }

  @Test
  void neverHasMoreThanTheWindowInFlight() {
    CreditWindow window = new CreditWindow(1, 1000);
    for (int i = 0; i < 1000; i++) {
      window.offer(packet(MediaKind.VIDEO, i % 25 == 0 ? Role.SYNC : Role.FRAME, 100), sent::add);
      assertThat(window.inFlightBytes()).isLessThanOrEqualTo(1000);
      if (i % 7 == 0) {
        window.acknowledged(sent.stream().limit(Math.max(0, sent.size() - 5)).mapToLong(MediaFrame::size).sum());
      }
    }
  }

  @Test
  void outOfCreditItSkipsToTheNextSyncPointAndMarksTheJump() {
    CreditWindow window = new CreditWindow(1, 1000);
    window.offer(packet(MediaKind.VIDEO, Role.CONFIG, 50), sent::add);
    window.offer(packet(MediaKind.VIDEO, Role.SYNC, 500), sent::add);
    window.offer(packet(MediaKind.VIDEO, Role.FRAME, 400), sent::add);
    window.offer(packet(MediaKind.VIDEO, Role.FRAME, 400), sent::add);
    window.offer(packet(MediaKind.AUDIO, Role.FRAME, 10), sent::add);
    assertThat(sent).hasSize(3);
    window.acknowledged(950);
    window.offer(packet(MediaKind.VIDEO, Role.FRAME, 400), sent::add);
    assertThat(sent).as("frames before the next sync point are skipped, credit or not").hasSize(3);
    window.offer(packet(MediaKind.VIDEO, Role.SYNC, 500), sent::add);
    assertThat(sent).hasSize(4);
    assertThat(sent.get(3).resync()).isTrue();
    assertThat(sent.get(3).role()).isEqualTo(Role.SYNC);
    assertThat(sent).extracting(MediaFrame::sequence).containsExactly(0L, 1L, 2L, 3L);
    assertThat(window.skipped()).isEqualTo(3);
  }

  @Test
  void configurationArrivingWhileSkippingIsSentFirstWhenItResumes() {
    CreditWindow window = new CreditWindow(1, 1000);
    window.offer(packet(MediaKind.VIDEO, Role.SYNC, 1000), sent::add);
    window.offer(packet(MediaKind.VIDEO, Role.FRAME, 100), sent::add);
    window.offer(packet(MediaKind.VIDEO, Role.CONFIG, 30), sent::add);
    window.offer(packet(MediaKind.VIDEO, Role.CONFIG, 40), sent::add);
    window.offer(packet(MediaKind.DATA, Role.CONFIG, 20), sent::add);
    window.acknowledged(1000);
    window.offer(packet(MediaKind.VIDEO, Role.SYNC, 500), sent::add);
    assertThat(sent).extracting(MediaFrame::size).containsExactly(1000, 20, 40, 500);
    assertThat(sent.get(1).resync()).isTrue();
    assertThat(sent.get(1).metadata()).isTrue();
    assertThat(sent.get(2).resync()).isFalse();
  }

  @Test
  void aFrameLargerThanTheWindowGoesWhenNothingIsInFlight() {
    CreditWindow window = new CreditWindow(1, 100);
    window.offer(packet(MediaKind.VIDEO, Role.SYNC, 5000), sent::add);
    assertThat(sent).hasSize(1);
    window.offer(packet(MediaKind.VIDEO, Role.FRAME, 10), sent::add);
    assertThat(sent).hasSize(1);
  }

  @Test
  void lateOrRepeatedAcknowledgementsNeverOpenTheWindowBeyondWhatWasSent() {
    CreditWindow window = new CreditWindow(1, 1000);
    window.offer(packet(MediaKind.VIDEO, Role.SYNC, 600), sent::add);
    window.acknowledged(600);
    window.acknowledged(300);
    window.acknowledged(10_000);
    assertThat(window.inFlightBytes()).isZero();
    window.offer(packet(MediaKind.VIDEO, Role.FRAME, 900), sent::add);
    assertThat(window.inFlightBytes()).isEqualTo(900);
  }
}
