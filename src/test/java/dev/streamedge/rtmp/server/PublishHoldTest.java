package dev.streamedge.rtmp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.media.MediaKind;
import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class PublishHoldTest {

  @Test
  void holdsInOrderWithinItsBoundEachMessageCountedWithItsOverhead() {
    PublishHold hold = new PublishHold(1000, 42);
    assertThat(hold.add(video(0, 300), MediaKind.VIDEO, payload(300))).isTrue();
    assertThat(hold.add(video(40, 200), null, payload(200))).isTrue();
    assertThat(hold.bytes()).isEqualTo(500 + 2 * PublishHold.OVERHEAD);
    assertThat(hold.held()).extracting(held -> held.message().timestamp()).containsExactly(0L, 40L);
    assertThat(hold.held().get(1).kind()).as("script data").isNull();
    assertThat(hold.sinceNanos()).isEqualTo(42);
    assertThat(hold.dropped()).isZero();
  }

  @Test
  void onceAMessageDoesNotFitItAndEverythingAfterItAreDroppedSoWhatPassesHasNoGapInside() {
    PublishHold hold = new PublishHold(1000, 0);
    hold.add(video(0, 600), MediaKind.VIDEO, payload(600));
    assertThat(hold.add(video(40, 400), MediaKind.VIDEO, payload(400))).as("600 + 400 + overheads > 1000").isFalse();
    assertThat(hold.add(video(80, 10), MediaKind.AUDIO, payload(10))).as("would fit, but comes after a drop").isFalse();
    assertThat(hold.held()).hasSize(1);
    assertThat(hold.dropped()).isEqualTo(2);
    assertThat(hold.droppedBytes()).isEqualTo(410);
    assertThat(hold.bytes()).isEqualTo(600 + PublishHold.OVERHEAD);
  }

  @Test
  void aBoundOfZeroHoldsNothingAsNginxRtmpDoes() {
    PublishHold hold = new PublishHold(0, 0);
    assertThat(hold.add(video(0, 1), MediaKind.VIDEO, payload(1))).isFalse();
    assertThat(hold.bytes()).isZero();
  }

  private static RtmpMessage video(long timestamp, int size) {
    return new RtmpMessage(6, MessageType.VIDEO, 1, timestamp, payload(size));
  }

  private static ByteBuf payload(int size) {
    return Unpooled.wrappedBuffer(new byte[size]);
  }
}
