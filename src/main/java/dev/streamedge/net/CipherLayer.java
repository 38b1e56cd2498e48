package dev.streamedge.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * A stream cipher over a socket's bytes, both ways, after a number of plain bytes each way: RTMPE's
 * RC4 once its handshake is done. It sits at the head of the pipeline, so it sees the bytes in the
 * order they cross the wire, whichever handler wrote them (Vert.x's own writes and the
 * {@link WriteMerger}'s alike).
 *
 * <p>Inbound bytes are decrypted in place: the buffer a read fills belongs to this channel alone. A
 * read that holds both the last plain bytes and the first encrypted ones is passed on in two parts,
 * so the plain part is handled (and the keys it carries used) before the rest. Outbound buffers may
 * be shared (a media packet is encoded once for every player of a stream), so each is encrypted into
 * a new pooled buffer and released. All of it runs on the channel's event loop.
 */
public final class CipherLayer extends ChannelDuplexHandler {

  /** A keystream: XORs its next {@code length} bytes into {@code bytes} from {@code offset}. */
  @FunctionalInterface
  public interface Keystream {
    void apply(byte[] bytes, int offset, int length);
  }

  private static final String NAME = "streamedge-cipher";
  /** Bytes moved through the scratch array at a time when a buffer has no array of its own. */
  private static final int SCRATCH_SIZE = 8 * 1024;
  /**
   * One scratch array per event loop, not per connection: a layer uses it only inside one call that
   * calls nothing else, so the connections of a loop can share it.
   */
  private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
    @Override
    protected byte[] initialValue() {
      return new byte[SCRATCH_SIZE];
    }
  };

  private final Keystream decrypt;
  private final Keystream encrypt;
  private long plainIn;
  private long plainOut;

  private CipherLayer(Keystream decrypt, long plainIn, Keystream encrypt, long plainOut) {
    this.decrypt = decrypt;
    this.encrypt = encrypt;
    this.plainIn = plainIn;
    this.plainOut = plainOut;
  }

  /**
   * Puts the layer at the head of the socket's pipeline, on its event loop. The next {@code plainIn}
   * bytes read and {@code plainOut} bytes written pass unchanged; every byte after them is decrypted
   * with {@code decrypt} or encrypted with {@code encrypt}.
   */
  public static void install(NetSocket socket, Keystream decrypt, long plainIn, Keystream encrypt, long plainOut) {
    installFirst(((NetSocketInternal) socket).channelHandlerContext().pipeline(), decrypt, plainIn, encrypt, plainOut);
  }

  /** As {@link #install(NetSocket, Keystream, long, Keystream, long)}, under a server connection. */
  public static void install(EventLoopSocket socket, Keystream decrypt, long plainIn, Keystream encrypt, long plainOut) {
    installFirst(socket.pipeline(), decrypt, plainIn, encrypt, plainOut);
  }

  private static void installFirst(ChannelPipeline pipeline, Keystream decrypt, long plainIn, Keystream encrypt,
      long plainOut) {
    pipeline.addFirst(NAME, create(decrypt, plainIn, encrypt, plainOut));
  }

  /** The layer on its own, for a pipeline the caller builds. */
  static CipherLayer create(Keystream decrypt, long plainIn, Keystream encrypt, long plainOut) {
    return new CipherLayer(decrypt, plainIn, encrypt, plainOut);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    int length = in.readableBytes();
    if (plainIn >= length) {
      plainIn -= length;
      ctx.fireChannelRead(in);
      return;
    }
    if (plainIn > 0) {
      ByteBuf plain = in.readRetainedSlice((int) plainIn);
      plainIn = 0;
      ctx.fireChannelRead(plain);
    }
    transform(decrypt, in, in.readerIndex(), in.readableBytes());
    ctx.fireChannelRead(in);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof ByteBuf data)) {
      if (plainOut == 0) {
        // Nothing but byte buffers goes over an RTMP socket; anything else would leave unencrypted.
        ReferenceCountUtil.release(msg);
        promise.setFailure(new IllegalStateException("cannot encrypt a " + msg.getClass().getName()));
        return;
      }
      ctx.write(msg, promise);
      return;
    }
    int length = data.readableBytes();
    if (plainOut >= length) {
      plainOut -= length;
      ctx.write(data, promise);
      return;
    }
    int plain = (int) plainOut;
    plainOut = 0;
    ByteBuf out = ctx.alloc().directBuffer(length);
    byte[] scratch = SCRATCH.get();
    try {
      out.writeBytes(data, data.readerIndex(), plain);
      for (int done = plain; done < length; ) {
        int n = Math.min(SCRATCH_SIZE, length - done);
        data.getBytes(data.readerIndex() + done, scratch, 0, n);
        encrypt.apply(scratch, 0, n);
        out.writeBytes(scratch, 0, n);
        done += n;
      }
    } catch (RuntimeException e) {
      out.release();
      data.release();
      promise.setFailure(e);
      return;
    }
    data.release();
    ctx.write(out, promise);
  }

  private void transform(Keystream keystream, ByteBuf buf, int index, int length) {
    if (buf.hasArray()) {
      keystream.apply(buf.array(), buf.arrayOffset() + index, length);
      return;
    }
    byte[] scratch = SCRATCH.get();
    for (int done = 0; done < length; ) {
      int n = Math.min(SCRATCH_SIZE, length - done);
      buf.getBytes(index + done, scratch, 0, n);
      keystream.apply(scratch, 0, n);
      buf.setBytes(index + done, scratch, 0, n);
      done += n;
    }
  }
}
