package dev.streamedge.srt;

import io.netty.buffer.ByteBuf;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The decryption of an encrypted caller's payloads (SRT draft §6; libsrt's HaiCrypt): the key encrypting key
 * is PBKDF2-HMAC-SHA1 of the passphrase over the salt's last 8 bytes, 2048 rounds; it unwraps (RFC 3394) the
 * stream encrypting keys of a {@link KeyMaterial}; each payload is AES-CTR with the IV the salt's first 14
 * bytes XOR the packet's sequence number at bytes 10 to 13, the block counter in the last two. One per
 * connection, on its event loop: the JDK's ciphers are not thread-safe.
 */
public final class PayloadCipher {

  private static final int KDF_ROUNDS = 2048;
  private static final int KDF_SALT = 8;
  private static final int IV_LENGTH = 16;
  private static final int NONCE = 14;

  private final Cipher ctr;
  private final byte[] iv = new byte[IV_LENGTH];
  private byte[] salt;
  /** The even key [0] and the odd key [1], as the data packets' KK field (1, 2) names them. */
  private final SecretKeySpec[] keys = new SecretKeySpec[2];

  public PayloadCipher() {
    try {
      this.ctr = Cipher.getInstance("AES/CTR/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/CTR is in every JDK", e);
    }
  }

  /**
   * The stream encrypting keys of {@code material}, unwrapped with {@code passphrase}: 2048 rounds of PBKDF2,
   * milliseconds of CPU, for a worker thread.
   *
   * @throws GeneralSecurityException when they do not unwrap: another passphrase (RFC 3394's integrity check
   *     fails), or a cipher other than AES-CTR
   */
  public static Keys unwrap(String passphrase, KeyMaterial material) throws GeneralSecurityException {
    if (material.cipher() != KeyMaterial.CIPHER_AES_CTR) {
      throw new GeneralSecurityException("cipher " + material.cipher() + ", not AES-CTR");
    }
    byte[] kekSalt = Arrays.copyOfRange(material.salt(), material.salt().length - KDF_SALT, material.salt().length);
    PBEKeySpec spec = new PBEKeySpec(passphrase.toCharArray(), kekSalt, KDF_ROUNDS, material.keyLength() * 8);
    byte[] kek = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1").generateSecret(spec).getEncoded();
    spec.clearPassword();
    Cipher unwrap = Cipher.getInstance("AESWrap");
    unwrap.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kek, "AES"));
    Arrays.fill(kek, (byte) 0);
    byte[] sek = unwrap.doFinal(material.wrapped());
    SecretKeySpec[] keys = new SecretKeySpec[2];
    int at = 0;
    for (int parity = 0; parity < 2; parity++) {
      if ((material.keys() & (1 << parity)) != 0) {
        keys[parity] = new SecretKeySpec(Arrays.copyOfRange(sek, at, at + material.keyLength()), "AES");
        at += material.keyLength();
      }
    }
    Arrays.fill(sek, (byte) 0);
    return new Keys(keys[0], keys[1], material.salt().clone());
  }

  /**
   * Stream encrypting keys, as a KM message gives them.
   *
   * @param even the key of KK 1, or null when the message had none
   * @param odd the key of KK 2, or null
   * @param salt the message's salt, which the IVs come from
   */
  public record Keys(SecretKeySpec even, SecretKeySpec odd, byte[] salt) {
  }

  /** Uses {@code unwrapped} from now on: the keys it has replace those of their parity. */
  public void install(Keys unwrapped) {
    if (unwrapped.even() != null) {
      keys[0] = unwrapped.even();
    }
    if (unwrapped.odd() != null) {
      keys[1] = unwrapped.odd();
    }
    salt = unwrapped.salt();
  }

  /**
   * Decrypts {@code payload}'s readable bytes in place, with the key {@code keyField} (a data packet's KK: 1
   * even, 2 odd) names. Returns false, leaving it as it was, when that key is not installed.
   */
  public boolean decrypt(int sequence, int keyField, ByteBuf payload) {
    SecretKeySpec key = keyField == 1 || keyField == 2 ? keys[keyField - 1] : null;
    if (key == null) {
      return false;
    }
    crypt(sequence, key, payload);
    return true;
  }

  /**
   * Encrypts {@code payload}'s readable bytes in place for the packet {@code sequence}, with the even key when
   * it is installed, else the odd one (HSv5: the caller's keys serve both directions); returns the KK the
   * packet must carry (1 even, 2 odd), or 0, leaving it as it was, when no key is installed. AES-CTR: the
   * same transform as {@link #decrypt}.
   */
  public int encrypt(int sequence, ByteBuf payload) {
    int keyField = keys[0] != null ? 1 : keys[1] != null ? 2 : 0;
    if (keyField != 0) {
      crypt(sequence, keys[keyField - 1], payload);
    }
    return keyField;
  }

  private void crypt(int sequence, SecretKeySpec key, ByteBuf payload) {
    Arrays.fill(iv, (byte) 0);
    iv[10] = (byte) (sequence >>> 24);
    iv[11] = (byte) (sequence >>> 16);
    iv[12] = (byte) (sequence >>> 8);
    iv[13] = (byte) sequence;
    for (int i = 0; i < NONCE; i++) {
      iv[i] ^= salt[i];
    }
    int length = payload.readableBytes();
    try {
      ctr.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(iv));
      if (payload.hasArray()) {
        byte[] array = payload.array();
        int offset = payload.arrayOffset() + payload.readerIndex();
        ctr.doFinal(array, offset, length, array, offset);
      } else {
        byte[] bytes = new byte[length];
        payload.getBytes(payload.readerIndex(), bytes);
        payload.setBytes(payload.readerIndex(), ctr.doFinal(bytes));
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-CTR with a 16, 24 or 32-byte key cannot fail", e);
    }
  }

  /** Whether a key is installed. */
  public boolean ready() {
    return keys[0] != null || keys[1] != null;
  }
}
