package dev.streamedge.srt;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A Key Material message (SRT draft §3.2.2; libsrt's haicrypt/hcrypt_msg.h), as a caller with a passphrase
 * sends it in its conclusion's KMREQ and, to refresh its keys, in a KMREQ control packet: which stream
 * encrypting keys it carries (even, odd or both), the cipher, the salt, and the keys wrapped (RFC 3394)
 * under the key encrypting key that the passphrase gives. Pure.
 *
 * @param keys which keys: {@link #EVEN}, {@link #ODD} or both
 * @param cipher the cipher: {@link #CIPHER_AES_CTR} is the one libsrt uses in live mode
 * @param salt 16 bytes
 * @param keyLength 16, 24 or 32 bytes per key
 * @param wrapped the 8-byte integrity check value, then each key wrapped
 */
public record KeyMaterial(int keys, int cipher, byte[] salt, int keyLength, byte[] wrapped) {

  public static final int EVEN = 1;
  public static final int ODD = 2;
  public static final int CIPHER_AES_CTR = 2;
  /** "HAI" as a PnP vendor id: the signature every KM message carries. */
  private static final int SIGNATURE = 0x2029;
  private static final int PACKET_TYPE_KM = 2;
  private static final int VERSION = 1;
  private static final int HEADER = 16;
  private static final int ICV = 8;

  /**
   * Reads a KM message.
   *
   * @throws SrtFormatException when it is no KM message of version 1 with a 16-byte salt and keys of 16, 24
   *     or 32 bytes
   */
  public static KeyMaterial parse(byte[] message) throws SrtFormatException {
    if (message.length < HEADER) {
      throw new SrtFormatException("key material shorter than its header");
    }
    ByteBuffer in = ByteBuffer.wrap(message);
    int first = in.get(0) & 0xFF;
    if ((first >>> 7) != 0 || (first >>> 4 & 0x7) != VERSION || (first & 0xF) != PACKET_TYPE_KM
        || in.getShort(1) != SIGNATURE) {
      throw new SrtFormatException("not a key material message of version 1");
    }
    int keys = in.get(3) & 0x3;
    int cipher = in.get(8) & 0xFF;
    int saltLength = (in.get(14) & 0xFF) * 4;
    int keyLength = (in.get(15) & 0xFF) * 4;
    int count = Integer.bitCount(keys);
    if (count == 0 || saltLength != 16 || keyLength != 16 && keyLength != 24 && keyLength != 32
        || message.length < HEADER + saltLength + ICV + count * keyLength) {
      throw new SrtFormatException("key material with " + count + " keys of " + keyLength + " bytes and a salt of "
          + saltLength + " in " + message.length + " bytes");
    }
    byte[] salt = Arrays.copyOfRange(message, HEADER, HEADER + saltLength);
    byte[] wrapped = Arrays.copyOfRange(message, HEADER + saltLength, HEADER + saltLength + ICV + count * keyLength);
    return new KeyMaterial(keys, cipher, salt, keyLength, wrapped);
  }
}
