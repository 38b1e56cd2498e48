package dev.streamedge.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.util.Queue;
import java.util.function.Consumer;

/**
 * RTMPE's RC4 inside an RTMPT session (RTMPTE): what {@link CipherLayer} does on a socket, done on the
 * tunnel's bytes, one end's received bodies in and its queue of bytes to send out. On the server those
 * are the bodies of {@code /send} requests and the answer queue; on the client
 * ({@code dev.streamedge.rtmp.client}) the answers and the next {@code /send}'s queue. The polling byte
 * that starts each answer is the tunnel's, not the RTMP stream's, and stays in the clear (ffmpeg's
 * rtmphttp and librtmp strip it before their RC4 sees the stream).
 *
 * <p>A body that holds the last plain bytes (the end of C2) and the first encrypted ones is passed on
 * in two parts, so the plain part is handled first. Outbound buffers may be shared (a media packet is
 * encoded once for every player of a stream), so they are encrypted into the cipher's own buffer,
 * never in place: one buffer per request or answer, that every write until then appends to. Runs on
 * the event loop of the session that owns it.
 */
public final class TunnelCipher {

  /** The first own buffer of an answer: big enough for a turn's control messages and a small frame. */
  private static final int FIRST_CAPACITY = 4 * 1024;

  private final CipherLayer.Keystream decrypt;
  private final CipherLayer.Keystream encrypt;
  private long plainIn;
  private long plainOut;
  /** The queue's last buffer while it is this cipher's own, which the next bytes are appended to. */
  private ByteBuf sealed;

  /** The next {@code plainIn} bytes received and {@code plainOut} bytes queued pass unchanged. */
  public TunnelCipher(CipherLayer.Keystream decrypt, long plainIn, CipherLayer.Keystream encrypt, long plainOut) {
    this.decrypt = decrypt;
    this.encrypt = encrypt;
    this.plainIn = plainIn;
    this.plainOut = plainOut;
  }

  /**
   * Hands the bytes of a {@code /send} body to {@code to}, decrypted past the plain ones. The body's
   * buffer belongs to this request alone, so it is decrypted in place when it can be.
   */
  public void receive(Buffer bytes, Consumer<Buffer> to) {
    ByteBuf in = WireBuffers.unwrap(bytes);
    int length = in.readableBytes();
    if (plainIn >= length) {
      plainIn -= length;
      to.accept(bytes);
      return;
    }
    int plain = (int) plainIn;
    plainIn = 0;
    if (plain > 0) {
      to.accept(WireBuffers.wrap(in.slice(in.readerIndex(), plain)));
    }
    ByteBuf rest = in.slice(in.readerIndex() + plain, length - plain);
    if (!rest.hasArray() || rest.isReadOnly()) {
      rest = Unpooled.copiedBuffer(rest);
    }
    decrypt.apply(rest.array(), rest.arrayOffset() + rest.readerIndex(), rest.readableBytes());
    to.accept(WireBuffers.wrap(rest));
  }

  /**
   * Queues {@code buf} on {@code queue}: the plain part as it is (a view, no copy), the rest copied into
   * the cipher's own buffer and encrypted there.
   */
  public void queue(ByteBuf buf, Queue<ByteBuf> queue) {
    int length = buf.readableBytes();
    if (plainOut >= length) {
      plainOut -= length;
      queue.add(buf);
      return;
    }
    int plain = (int) plainOut;
    plainOut = 0;
    if (plain > 0) {
      queue.add(buf.slice(buf.readerIndex(), plain));
    }
    if (sealed == null) {
      sealed = Unpooled.buffer(Math.max(FIRST_CAPACITY, length - plain));
      queue.add(sealed);
    }
    int at = sealed.writerIndex();
    sealed.writeBytes(buf, buf.readerIndex() + plain, length - plain);
    // After the write: a write that grew the buffer moved it to a new array.
    encrypt.apply(sealed.array(), sealed.arrayOffset() + at, length - plain);
  }

  /** The queue went into an answer: the next bytes start a new buffer. */
  public void drained() {
    sealed = null;
  }
}
