package dev.streamedge.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * RTMPTE's cipher on the tunnel's bytes: a /send body across the plain/encrypted boundary arrives in
 * two parts, plain then decrypted; queued bytes pass plain up to the boundary and are encrypted after
 * it into the session's own buffer, shared (and direct) media buffers untouched. The keystream is a
 * counter, not RC4, so every expected byte can be written down.
 */
@Tag("unit")
class TunnelCipherTest {

  /** XORs stream byte i with (31 i + 7) mod 256: a keystream whose position shows in its output. */
  private static final class CountingKeystream implements CipherLayer.Keystream {
    long position;

    @Override
    public void apply(byte[] bytes, int offset, int length) {
      for (int i = 0; i < length; i++) {
        bytes[offset + i] ^= (byte) (31 * position++ + 7);
      }
    }

    static byte[] xor(byte[] plain) {
      byte[] out = plain.clone();
      new CountingKeystream().apply(out, 0, out.length);
      return out;
    }
  }

  @Test
  void aBodyAcrossTheBoundaryArrivesAsItsPlainPartThenItsDecryptedRest() {
    TunnelCipher cipher = new TunnelCipher(new CountingKeystream(), 1000, new CountingKeystream(), 0);
    byte[] c2 = random(1000, 1);
    byte[] connect = random(700, 2);
    byte[] more = random(5000, 3);
    byte[] firstBody = concat(slice(c2, 0, 600));
    byte[] secondBody = concat(slice(c2, 600, 400), slice(CountingKeystream.xor(concat(connect, more)), 0, 700));
    byte[] thirdBody = slice(CountingKeystream.xor(concat(connect, more)), 700, 5000);
    List<byte[]> parts = new ArrayList<>();

    cipher.receive(Buffer.buffer(firstBody), b -> parts.add(b.getBytes()));
    cipher.receive(Buffer.buffer(secondBody), b -> parts.add(b.getBytes()));
    // A body gathered off the session's loop, or any buffer without an array: decrypted in a copy.
    ByteBuf direct = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(thirdBody.length).put(thirdBody).flip());
    cipher.receive(WireBuffers.wrap(direct), b -> parts.add(b.getBytes()));

    assertThat(parts).hasSize(4);
    assertThat(parts.get(0)).as("all plain").isEqualTo(slice(c2, 0, 600));
    assertThat(parts.get(1)).as("the end of C2, alone").isEqualTo(slice(c2, 600, 400));
    assertThat(parts.get(2)).as("the first encrypted bytes, decrypted").isEqualTo(connect);
    assertThat(parts.get(3)).isEqualTo(more);
  }

  @Test
  void queuedBytesPassPlainToTheBoundaryThenGoEncryptedIntoOwnBuffersLeavingSharedOnesUntouched() {
    TunnelCipher cipher = new TunnelCipher(new CountingKeystream(), 0, new CountingKeystream(), 3073);
    ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    byte[] s0s1s2 = random(3000, 4);
    byte[] control = random(200, 5);
    byte[] media = random(20_000, 6);
    ByteBuf sharedMedia = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(media.length).put(media).flip());

    cipher.queue(Unpooled.wrappedBuffer(s0s1s2), queue);
    cipher.queue(Unpooled.wrappedBuffer(control), queue);
    cipher.queue(sharedMedia, queue);
    byte[] firstAnswer = drain(queue);
    cipher.drained();
    cipher.queue(sharedMedia, queue);
    byte[] secondAnswer = drain(queue);

    byte[] plain = concat(s0s1s2, slice(control, 0, 73));
    byte[] encrypted = CountingKeystream.xor(concat(slice(control, 73, 127), media, media));
    assertThat(concat(firstAnswer, secondAnswer)).isEqualTo(concat(plain, encrypted));
    assertThat(ByteBufUtil.getBytes(sharedMedia)).as("the shared media buffer, for the other players").isEqualTo(media);
    assertThat(sharedMedia.readerIndex()).isZero();
  }

  @Test
  void oneTurnsWritesPastTheBoundaryShareOneOwnBuffer() {
    TunnelCipher cipher = new TunnelCipher(new CountingKeystream(), 0, new CountingKeystream(), 0);
    ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    for (int i = 0; i < 50; i++) {
      cipher.queue(Unpooled.wrappedBuffer(random(1500, 10 + i)), queue);
    }
    assertThat(queue).as("buffers waiting for the answer").hasSize(1);
    assertThat(queue.peek().readableBytes()).isEqualTo(50 * 1500);
  }

  private static byte[] drain(ArrayDeque<ByteBuf> queue) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ByteBuf buf = queue.poll(); buf != null; buf = queue.poll()) {
      out.writeBytes(ByteBufUtil.getBytes(buf));
    }
    return out.toByteArray();
  }

  private static byte[] random(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static byte[] slice(byte[] bytes, int from, int length) {
    byte[] out = new byte[length];
    System.arraycopy(bytes, from, out, 0, length);
    return out;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
