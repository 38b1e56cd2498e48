package dev.streamedge.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;

/**
 * The one place that crosses between Vert.x buffers and Netty ByteBufs (Vert.x internal API), so the
 * codecs can work on ByteBufs without copies.
 */
public final class WireBuffers {

  private WireBuffers() {
  }

  /** The bytes of an inbound buffer, without a copy. */
  public static ByteBuf unwrap(Buffer buffer) {
    return ((BufferInternal) buffer).getByteBuf();
  }

  /** Wraps without a copy; the ByteBuf must not change afterwards. */
  public static Buffer wrap(ByteBuf buf) {
    return BufferInternal.buffer(buf);
  }

  /**
   * A direct buffer of exactly {@code size} bytes for data written to many sockets: NIO copies a heap
   * buffer into direct memory on every write, once per player; a direct one is written as it is. Freed
   * by the garbage collector, so it needs no release.
   */
  public static ByteBuf directForFanOut(int size) {
    return Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(size)).clear();
  }
}
