package dev.streamedge.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cipher layer in a pipeline of its own: plain bytes first, then each direction through its
 * keystream, a read that spans the boundary split in two, and shared outbound buffers never touched.
 * The keystream here is a counter, not RC4, so every expected byte can be written down.
 */
@Tag("unit")
class CipherLayerTest {

  /** XORs stream byte i with (31 i + 7) mod 256: a keystream whose position shows in its output. */
  private static final class CountingKeystream implements CipherLayer.Keystream {
    long position;

    @Override
    public void apply(byte[] bytes, int offset, int length) {
      for (int i = 0; i < length; i++) {
        bytes[offset + i] ^= (byte) (31 * position++ + 7);
      }
    }

    static byte[] xor(byte[] plain, long from) {
      CountingKeystream keystream = new CountingKeystream();
      keystream.position = from;
      byte[] out = plain.clone();
      keystream.apply(out, 0, out.length);
      return out;
    }
  }

  @ParameterizedTest(name = "direct buffers: {0}")
  @ValueSource(booleans = {false, true})
  void readsPassThePlainBytesThenDecryptAndAReadAcrossTheBoundaryArrivesInTwoParts(boolean direct) {
    EmbeddedChannel channel = new EmbeddedChannel(
        CipherLayer.create(new CountingKeystream(), 5, new CountingKeystream(), 0));
    byte[] secret = random(20_000, 1); // over the 8 KiB scratch size, for the direct path
    byte[] first = concat("HELLO".getBytes(StandardCharsets.US_ASCII), CountingKeystream.xor(secret, 0));

    channel.writeInbound(buffer(first, 0, 3, direct), buffer(first, 3, first.length - 3 - 100, direct),
        buffer(first, first.length - 100, 100, direct));

    assertThat(text(channel.readInbound())).isEqualTo("HEL");
    assertThat(text(channel.readInbound())).as("the plain rest of the read that crosses").isEqualTo("LO");
    ByteBuf decrypted = channel.readInbound();
    ByteBuf last = channel.readInbound();
    assertThat(concat(bytes(decrypted), bytes(last))).isEqualTo(secret);
    assertThat((Object) channel.readInbound()).isNull();
    channel.finishAndReleaseAll();
  }

  @ParameterizedTest(name = "direct buffers: {0}")
  @ValueSource(booleans = {false, true})
  void writesPassThePlainBytesThenGoEncryptedIntoNewBuffersLeavingSharedOnesUntouched(boolean direct) {
    EmbeddedChannel channel = new EmbeddedChannel(
        CipherLayer.create(new CountingKeystream(), 0, new CountingKeystream(), 4));
    ByteBuf handshake = buffer("S0S".getBytes(StandardCharsets.US_ASCII), 0, 3, direct);
    byte[] media = random(12_000, 2);
    ByteBuf shared = buffer(media, 0, media.length, direct);
    shared.retain(); // another player's reference to the same encoded packet

    channel.writeOutbound(handshake, shared);

    ByteBuf first = channel.readOutbound();
    assertThat(first).as("a write within the plain bytes passes as it is").isSameAs(handshake);
    assertThat(text(first)).isEqualTo("S0S");
    ByteBuf crossing = channel.readOutbound();
    byte[] expected = concat(new byte[] {media[0]}, CountingKeystream.xor(slice(media, 1, media.length - 1), 0));
    assertThat(crossing).isNotSameAs(shared);
    assertThat(bytes(crossing)).isEqualTo(expected);
    assertThat(shared.refCnt()).as("the layer released its reference, the other holder keeps one").isEqualTo(1);
    assertThat(ByteBufUtil.getBytes(shared)).as("the shared packet is not encrypted in place").isEqualTo(media);
    shared.release();

    ByteBuf next = Unpooled.wrappedBuffer(new byte[] {1, 2, 3});
    channel.writeOutbound(next);
    assertThat(bytes(channel.readOutbound())).as("the keystream goes on where it stopped")
        .isEqualTo(CountingKeystream.xor(new byte[] {1, 2, 3}, media.length - 1));
    channel.finishAndReleaseAll();
  }

  private static ByteBuf buffer(byte[] bytes, int from, int length, boolean direct) {
    ByteBuf buf = direct ? Unpooled.directBuffer(length) : Unpooled.buffer(length);
    return buf.writeBytes(bytes, from, length);
  }

  /** The readable bytes of a buffer the test took from the channel, which it then releases. */
  private static byte[] bytes(ByteBuf buf) {
    byte[] out = ByteBufUtil.getBytes(buf);
    buf.release();
    return out;
  }

  private static String text(ByteBuf buf) {
    String text = buf.toString(StandardCharsets.US_ASCII);
    buf.release();
    return text;
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

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
