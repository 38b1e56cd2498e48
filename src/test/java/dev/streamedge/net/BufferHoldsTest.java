package dev.streamedge.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Which media a response must hold while it sends it: what the last release frees, and nothing else. */
@Tag("unit")
class BufferHoldsTest {

  @Test
  void releasableCopiesAndTheirSlicesNeedAHoldAndAreFreedByTheLastRelease() {
    Buffer segment = WireBuffers.releasableCopy(Unpooled.wrappedBuffer(new byte[64]));
    Buffer range = segment.slice(8, 40);
    assertThat(WireBuffers.needsHold(segment)).isTrue();
    assertThat(WireBuffers.needsHold(range)).as("a byte range of a segment").isTrue();

    assertThat(WireBuffers.retain(range)).isTrue();
    WireBuffers.release(segment); // the window lets go while a response still sends the range
    assertThat(range.getByte(0)).isZero();
    WireBuffers.release(range);
    assertThat(WireBuffers.retain(segment)).as("freed by the last release").isFalse();
  }

  @Test
  void sharedPlaylistsAndHeapBuffersNeedNoHold() {
    Buffer playlist = WireBuffers.sharedCopy("#EXTM3U\n".getBytes(StandardCharsets.UTF_8));
    assertThat(WireBuffers.needsHold(playlist)).isFalse();
    assertThat(WireBuffers.needsHold(playlist.slice(1, 4))).isFalse();
    assertThat(WireBuffers.needsHold(Buffer.buffer("#EXTM3U\n"))).as("a playlist with a query added").isFalse();
    // Fan-out memory ignores holds: any number of responses, none of which can free it.
    for (int i = 0; i < 3; i++) {
      WireBuffers.release(playlist);
    }
    assertThat(WireBuffers.retain(playlist)).isTrue();
    assertThat(playlist.toString(StandardCharsets.UTF_8)).isEqualTo("#EXTM3U\n");
  }
}
