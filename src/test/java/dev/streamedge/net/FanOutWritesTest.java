package dev.streamedge.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fan-out memory written to many channels, each write with its own view: every channel gets all of
 * it, a channel that takes part of it moves only its own view, and the releases each channel makes
 * after its write leave the memory readable for the next.
 */
@Tag("unit")
class FanOutWritesTest {

  private static Buffer fanOut(byte[] bytes) {
    ByteBuf memory = WireBuffers.directForFanOut(bytes.length);
    memory.writeBytes(bytes);
    return WireBuffers.wrap(memory);
  }

  @Test
  void everyChannelGetsAllOfItAndTheReleasesLeaveItReadable() {
    byte[] bytes = new byte[5000];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 7);
    }
    Buffer media = fanOut(bytes);
    List<EmbeddedChannel> channels = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      EmbeddedChannel channel = new EmbeddedChannel();
      channel.writeAndFlush(WireBuffers.forWrite(media));
      channels.add(channel);
    }

    for (EmbeddedChannel channel : channels) {
      ByteBuf written = channel.readOutbound();
      assertThat(ByteBufUtil.getBytes(written)).isEqualTo(bytes);
      // What a channel does once the bytes are on the wire.
      assertThat(written.release()).isFalse();
      channel.finishAndReleaseAll();
    }
    assertThat(media.getBytes()).isEqualTo(bytes);
    assertThat(WireBuffers.unwrap(media).refCnt()).isEqualTo(1);
  }

  @Test
  void aPartialWriteMovesOnlyItsOwnView() {
    byte[] bytes = new byte[1000];
    Buffer media = fanOut(bytes);
    ByteBuf slow = WireBuffers.forWrite(media);
    ByteBuf fast = WireBuffers.forWrite(media);

    // A socket that took 300 bytes of the slow player's write moves its view on, as Netty does.
    slow.skipBytes(300);

    assertThat(slow.readableBytes()).isEqualTo(700);
    assertThat(fast.readableBytes()).isEqualTo(1000);
    assertThat(WireBuffers.forWrite(media).readableBytes()).isEqualTo(1000);
  }
}
