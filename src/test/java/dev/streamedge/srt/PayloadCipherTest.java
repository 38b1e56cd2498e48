package dev.streamedge.srt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The key material of a caller with a passphrase, as libsrt's HaiCrypt lays it out (haicrypt/hcrypt_msg.h):
 * read, its key unwrapped with the passphrase (and refused with another), a payload decrypted with the IV of
 * the salt and the sequence number; what is not a KM message is refused. SrtEncryptionTest proves the same
 * against ffmpeg's libsrt.
 */
@Tag("unit")
class PayloadCipherTest {

  private static final byte[] SALT = bytes(16, 0x11);
  private static final byte[] SEK = bytes(16, 0x42);

  private static byte[] bytes(int length, int first) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = (byte) (first + i);
    }
    return out;
  }

  /** A KM message of one even 16-byte key, wrapped here with the JDK from the passphrase, as a caller does. */
  private static byte[] message(String passphrase) throws GeneralSecurityException {
    PBEKeySpec spec = new PBEKeySpec(passphrase.toCharArray(), Arrays.copyOfRange(SALT, 8, 16), 2048, 128);
    byte[] kek = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1").generateSecret(spec).getEncoded();
    Cipher wrap = Cipher.getInstance("AESWrap");
    wrap.init(Cipher.WRAP_MODE, new SecretKeySpec(kek, "AES"));
    byte[] wrapped = wrap.wrap(new SecretKeySpec(SEK, "AES"));
    ByteBuffer out = ByteBuffer.allocate(16 + 16 + wrapped.length);
    out.put((byte) 0x12).putShort((short) 0x2029).put((byte) KeyMaterial.EVEN);
    out.putInt(0);
    out.put((byte) KeyMaterial.CIPHER_AES_CTR).put((byte) 0).put((byte) 2).put((byte) 0);
    out.putShort((short) 0).put((byte) (16 / 4)).put((byte) (16 / 4));
    out.put(SALT).put(wrapped);
    return out.array();
  }

  @Test
  void theKeyUnwrapsWithThePassphraseAndDecryptsAPayload() throws Exception {
    KeyMaterial material = KeyMaterial.parse(message("correct-horse-battery"));
    assertThat(material.keys()).isEqualTo(KeyMaterial.EVEN);
    assertThat(material.keyLength()).isEqualTo(16);
    assertThat(material.salt()).isEqualTo(SALT);

    PayloadCipher cipher = new PayloadCipher();
    cipher.install(PayloadCipher.unwrap("correct-horse-battery", material));
    byte[] plain = "47 a TS packet's worth of bytes, more than one AES block long".getBytes(StandardCharsets.US_ASCII);
    int sequence = 0x01020304;
    // The IV as HaiCrypt makes it: zeros, the packet index at bytes 10-13, XOR the salt's first 14 bytes.
    byte[] iv = new byte[16];
    iv[10] = 1;
    iv[11] = 2;
    iv[12] = 3;
    iv[13] = 4;
    for (int i = 0; i < 14; i++) {
      iv[i] ^= SALT[i];
    }
    Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
    ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(SEK, "AES"), new IvParameterSpec(iv));
    ByteBuf payload = Unpooled.wrappedBuffer(ctr.doFinal(plain));

    assertThat(cipher.decrypt(sequence, 2, payload)).as("no odd key").isFalse();
    assertThat(cipher.decrypt(sequence, 1, payload)).isTrue();
    byte[] decrypted = new byte[payload.readableBytes()];
    payload.getBytes(0, decrypted);
    assertThat(decrypted).isEqualTo(plain);
  }

  @Test
  void anotherPassphraseFailsTheIntegrityCheck() throws Exception {
    KeyMaterial material = KeyMaterial.parse(message("correct-horse-battery"));
    assertThatThrownBy(() -> PayloadCipher.unwrap("wrong-horse-battery", material))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void whatIsNoKeyMaterialIsRefused() throws Exception {
    byte[] good = message("correct-horse-battery");
    assertThatThrownBy(() -> KeyMaterial.parse(Arrays.copyOf(good, 15))).isInstanceOf(SrtFormatException.class);
    assertThatThrownBy(() -> KeyMaterial.parse(Arrays.copyOf(good, good.length - 1)))
        .isInstanceOf(SrtFormatException.class);
    byte[] signature = good.clone();
    signature[1] = 0;
    assertThatThrownBy(() -> KeyMaterial.parse(signature)).isInstanceOf(SrtFormatException.class);
    byte[] noKey = good.clone();
    noKey[3] = 0;
    assertThatThrownBy(() -> KeyMaterial.parse(noKey)).isInstanceOf(SrtFormatException.class);
    byte[] keyLength = good.clone();
    keyLength[15] = 5;
    assertThatThrownBy(() -> KeyMaterial.parse(keyLength)).isInstanceOf(SrtFormatException.class);
  }
}
