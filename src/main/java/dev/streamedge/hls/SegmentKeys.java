package dev.streamedge.hls;

import dev.streamedge.net.WireBuffers;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts a stream's MPEG-TS segments as RFC 8216 §4.3.2.4 METHOD=AES-128 asks: each whole segment in AES-128
 * CBC with PKCS#7 padding (the JDK's {@code PKCS5Padding}, which for a 16-byte block is the same), its IV the
 * segment's media sequence number as a 16-byte big-endian integer, as a player derives it when the EXT-X-KEY tag
 * has no IV attribute (§5.2); the playlist writes it out all the same ({@link MediaPlaylist}). A new random key every {@code fragmentsPerKey} segments, or one for
 * the packager's life with 0, as nginx-rtmp's {@code hls_fragments_per_key}. Used on one thread.
 */
final class SegmentKeys {

  private static final int KEY_BYTES = 16;
  /**
   * Keys come from the JDK's DRBG (NIST SP 800-90A), which reads its seed from the system once and is pure
   * computation after: no read of {@code /dev/urandom} per key on an event loop. {@link #warm} seeds it.
   */
  private static final SecureRandom RANDOM = drbg();

  private final int fragmentsPerKey;
  private final Cipher cipher;
  private HlsKey current;
  private int used;

  SegmentKeys(int fragmentsPerKey) {
    if (fragmentsPerKey < 0) {
      throw new IllegalArgumentException("fragments per key " + fragmentsPerKey);
    }
    this.fragmentsPerKey = fragmentsPerKey;
    try {
      this.cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no AES/CBC/PKCS5Padding, which every JDK must have", e);
    }
  }

  private static SecureRandom drbg() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no DRBG SecureRandom (JDK 9 and later have)", e);
    }
  }

  /** Seeds the key generator, off the event loops: called when a node with encrypted HLS starts. */
  static void warm() {
    RANDOM.nextBytes(new byte[KEY_BYTES]);
  }

  /** The key of segment {@code sequence}: the current one, or a new one when it has encrypted its share. */
  HlsKey keyFor(long sequence) {
    if (current == null || fragmentsPerKey > 0 && used >= fragmentsPerKey) {
      byte[] key = new byte[KEY_BYTES];
      RANDOM.nextBytes(key);
      current = new HlsKey(sequence, WireBuffers.sharedCopy(key));
      used = 0;
    }
    used++;
    return current;
  }

  /** {@code plain}'s readable bytes encrypted with {@code key} as segment {@code sequence}, in a new buffer. */
  Buffer encrypt(ByteBuf plain, HlsKey key, long sequence) {
    int length = plain.readableBytes();
    int padded = (length / KEY_BYTES + 1) * KEY_BYTES;
    ByteBuf out = WireBuffers.releasableBuffer(padded);
    try {
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key.bytes().getBytes(), "AES"),
          new IvParameterSpec(iv(sequence)));
      int written = cipher.doFinal(plain.nioBuffer(plain.readerIndex(), length), out.nioBuffer(0, padded));
      out.writerIndex(written);
      return WireBuffers.wrap(out);
    } catch (GeneralSecurityException e) {
      out.release();
      throw new IllegalStateException("AES-128 encryption of segment " + sequence + " failed", e);
    }
  }

  /** RFC 8216 §5.2: the media sequence number, big-endian, in a 16-byte buffer padded with zeros on the left. */
  static byte[] iv(long sequence) {
    return ByteBuffer.allocate(KEY_BYTES).putLong(8, sequence).array();
  }

  /** {@link #iv} as the 32 hexadecimal digits of an EXT-X-KEY IV attribute (after its {@code 0x}). */
  static String ivHex(long sequence) {
    return "0000000000000000" + HexFormat.of().withUpperCase().toHexDigits(sequence);
  }
}
