package dev.streamedge.rtmp.handshake;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * The RC4 keystreams of RTMPE, from the JDK's ARCFOUR cipher. Both sides throw away the first
 * {@link Handshake#PACKET_SIZE} bytes of each keystream before the first encrypted byte, as ffmpeg
 * and librtmp do after the handshake. One instance per direction per connection; not thread-safe.
 */
public final class Rc4 {
  /** Keystream bytes dropped before use. */
  static final int DISCARD = Handshake.PACKET_SIZE;

  private final Cipher cipher;

  private Rc4(Cipher cipher) {
    this.cipher = cipher;
  }

  /** The keystream of {@code key}, positioned after the discarded bytes. */
  public static Rc4 of(byte[] key) {
    try {
      Cipher cipher = Cipher.getInstance("ARCFOUR");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ARCFOUR"));
      cipher.update(new byte[DISCARD]);
      return new Rc4(cipher);
    } catch (GeneralSecurityException e) {
      // SunJCE has provided ARCFOUR since Java 6; a runtime without it cannot serve RTMPE at all.
      throw new IllegalStateException("ARCFOUR unavailable", e);
    }
  }

  /**
   * XORs the next {@code length} keystream bytes into {@code bytes} in place: encrypts or decrypts,
   * RC4 being its own inverse.
   */
  public void apply(byte[] bytes, int offset, int length) {
    if (length == 0) {
      return;
    }
    try {
      // SunJCE's ARCFOUR is copy-safe: input and output may be the same range (Cipher#update docs).
      cipher.update(bytes, offset, length, bytes, offset);
    } catch (ShortBufferException e) {
      throw new IllegalStateException("a stream cipher's output is as long as its input", e);
    }
  }
}
