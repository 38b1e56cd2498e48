package dev.streamedge.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledUnsafeDirectByteBuf;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.internal.PlatformDependent;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
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
   * Hands {@code handler} what {@code socket} reads as Netty read it, without Vert.x's copy of each read
   * to the heap, and releases it when the handler returns: for a handler that copies what it keeps.
   * Vert.x's {@code pause()} then no longer holds reads back: use {@link #reading} instead.
   */
  public static void readUncopied(NetSocket socket, Handler<Buffer> handler) {
    ((NetSocketInternal) socket).messageHandler(message -> {
      if (message instanceof ByteBuf read) {
        try {
          handler.handle(BufferInternal.buffer(read));
        } finally {
          read.release();
        }
      } else {
        ReferenceCountUtil.release(message);
      }
    });
  }

  /** Stops or restarts reading from the kernel: the pause of a socket read with {@link #readUncopied}. */
  public static void reading(NetSocket socket, boolean on) {
    ((NetSocketInternal) socket).channelHandlerContext().channel().config().setAutoRead(on);
  }

  /**
   * A direct buffer of exactly {@code size} bytes for data written to many sockets: NIO copies a heap
   * buffer into direct memory on every write, once per player; a direct one is written as it is. Freed
   * by the garbage collector, so it needs no release.
   */
  public static ByteBuf directForFanOut(int size) {
    ByteBuffer memory = ByteBuffer.allocateDirect(size);
    return (PlatformDependent.hasUnsafe() ? new FanOut(memory) : Unpooled.wrappedBuffer(memory)).clear();
  }

  /**
   * A copy of {@code bytes} in fan-out memory ({@link #directForFanOut}), for what many HTTP responses
   * send as it is and the garbage collector may free: playlists and init segments (segments and parts,
   * which live longer, are {@link #releasableCopy}). A heap buffer would be copied to direct
   * memory again by every response.
   */
  public static Buffer sharedCopy(byte[] bytes) {
    return wrap(directForFanOut(bytes.length).writeBytes(bytes));
  }

  /**
   * Where {@link #releasableCopy} puts its bytes: direct memory freed at once by the last
   * {@link #release}, and by the garbage collector (a cleaner) if a holder never releases it.
   */
  private static final UnpooledByteBufAllocator RELEASABLE = new UnpooledByteBufAllocator(true, true, false);

  /**
   * A copy of the readable bytes of {@code bytes} (not consumed) in direct memory that its holder frees with
   * {@link #release}, for media that lives longer than a young garbage collection: an HLS segment or part
   * is kept for tens of seconds, so fan-out memory ({@link #sharedCopy}) would be promoted with it and wait
   * for an old-generation collection, which a quiet heap makes rare (13 MB of dead segments on one stream
   * after a minute, measured). Whoever reads the bytes later or on another thread takes a hold first
   * ({@link #retain}).
   */
  public static Buffer releasableCopy(ByteBuf bytes) {
    int size = bytes.readableBytes();
    return wrap(RELEASABLE.directBuffer(size, size).writeBytes(bytes, bytes.readerIndex(), size));
  }

  /**
   * An empty buffer of {@code capacity} bytes of the memory {@link #releasableCopy} gives, to be filled by the
   * caller and then {@link #wrap}ped; the caller releases it if it fails before.
   */
  public static ByteBuf releasableBuffer(int capacity) {
    return RELEASABLE.directBuffer(capacity, capacity);
  }

  /** As {@link #releasableCopy(ByteBuf)}, of {@code bytes}. */
  public static Buffer releasableCopy(byte[] bytes) {
    return wrap(RELEASABLE.directBuffer(bytes.length, bytes.length).writeBytes(bytes));
  }

  /** As {@link #releasableCopy(ByteBuf)}, of {@code buffers} one after the other, {@code size} bytes in all. */
  public static Buffer releasableCopy(Iterable<Buffer> buffers, int size) {
    ByteBuf all = RELEASABLE.directBuffer(size, size);
    for (Buffer b : buffers) {
      ByteBuf bytes = unwrap(b);
      all.writeBytes(bytes, bytes.readerIndex(), bytes.readableBytes());
    }
    return wrap(all);
  }

  /**
   * Takes a hold on the memory under {@code media} (a {@link #releasableCopy} or a slice of one), to be
   * let go with {@link #release}: false when its last holder already freed it, and then nothing may read
   * it. Safe on any thread. Other buffers are not counted: always true.
   */
  public static boolean retain(Buffer media) {
    try {
      root(media).retain();
      return true;
    } catch (IllegalReferenceCountException freed) {
      return false;
    }
  }

  /**
   * Whether a reader of {@code media} must hold it ({@link #retain}, then {@link #release}): true for a
   * {@link #releasableCopy} and its slices, which the last release frees; false for fan-out and heap memory,
   * which only the garbage collector frees, so that a response of a shared playlist needs no hold and no
   * listener for its end.
   */
  public static boolean needsHold(Buffer media) {
    if (!(media instanceof BufferImpl impl)) {
      return false;
    }
    ByteBuf root = impl.byteBuf();
    for (ByteBuf under = root.unwrap(); under != null; under = under.unwrap()) {
      root = under;
    }
    return root.isDirect() && !(root instanceof FanOut);
  }

  /** Lets go of one hold on {@code media} ({@link #releasableCopy}); the last one frees it. */
  public static void release(Buffer media) {
    root(media).release();
  }

  /** The counted buffer under {@code media}: {@link #unwrap}'s view would count nothing. */
  private static ByteBuf root(Buffer media) {
    return media instanceof BufferImpl impl ? impl.byteBuf() : Unpooled.EMPTY_BUFFER;
  }

  /**
   * {@code media} as one socket write takes it, without a copy: a view with indices of its own, since
   * the channel moves them as it writes, part by part for a slow reader. For a buffer made by
   * {@link #directForFanOut} that view is one object per write; Vert.x's own
   * ({@link #unwrap}) is two, a slice and a wrapper that makes the channel's release a no-op, which
   * the fan-out memory needs none of: its release is already one.
   */
  public static ByteBuf forWrite(Buffer media) {
    if (media instanceof BufferImpl impl && impl.byteBuf() instanceof FanOut shared) {
      return shared.duplicate();
    }
    return unwrap(media);
  }

  /**
   * Fan-out memory: written to every player as it is, by every event loop, and freed by the garbage
   * collector. Its count of references never moves, so neither the channels' releases after each write
   * nor views of it change anything that the loops would contend on.
   */
  private static final class FanOut extends UnpooledUnsafeDirectByteBuf {

    FanOut(ByteBuffer memory) {
      super(UnpooledByteBufAllocator.DEFAULT, memory, memory.capacity());
    }

    @Override
    public ByteBuf retain() {
      return this;
    }

    @Override
    public ByteBuf retain(int increment) {
      return this;
    }

    @Override
    public boolean release() {
      return false;
    }

    @Override
    public boolean release(int decrement) {
      return false;
    }
  }
}
