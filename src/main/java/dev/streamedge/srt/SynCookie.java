package dev.streamedge.srt;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The listener's SYN cookie (§4.3.1.1): 32 bits that bind a caller's address and port to a time
 * bucket, so that the listener keeps no state between induction and conclusion. HMAC-SHA256 under a
 * secret instead of libsrt's MD5 of "host:port:minute": the caller only echoes the value. A cookie
 * is valid in its bucket and the next one, so it lives between one and two buckets.
 *
 * <p>Not thread-safe (it reuses one Mac): one instance per event loop, all with the same secret.
 */
public final class SynCookie {

  /** libsrt's bucket: one minute. */
  public static final long DEFAULT_BUCKET_MICROS = 60_000_000L;

  private final Mac mac;
  private final long bucketMicros;
  private final byte[] input = new byte[16 + 4 + 8];

  /**
   * @param secret at least 16 random bytes, kept for the listener's lifetime
   * @param bucketMicros how long one time bucket lasts
   */
  public SynCookie(byte[] secret, long bucketMicros) {
    if (secret.length < 16 || bucketMicros <= 0) {
      throw new IllegalArgumentException("secret of 16 bytes or more, positive bucket");
    }
    this.bucketMicros = bucketMicros;
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
    }
  }

  /** The cookie for a caller now. */
  public int make(byte[] address, int port, long nowMicros) {
    return cookie(address, port, Math.floorDiv(nowMicros, bucketMicros));
  }

  /** Whether {@code cookie} was made for this caller in the current or the previous bucket. */
  public boolean isValid(int cookie, byte[] address, int port, long nowMicros) {
    long bucket = Math.floorDiv(nowMicros, bucketMicros);
    return cookie == cookie(address, port, bucket) || cookie == cookie(address, port, bucket - 1);
  }

  private int cookie(byte[] address, int port, long bucket) {
    if (address.length != 4 && address.length != 16) {
      throw new IllegalArgumentException("not an IP address");
    }
    Arrays.fill(input, (byte) 0);
    System.arraycopy(address, 0, input, 0, address.length);
    // The length goes in too, so that no IPv4 address hashes like an IPv6 one.
    input[16] = (byte) address.length;
    input[17] = (byte) (port >>> 8);
    input[18] = (byte) port;
    for (int i = 0; i < 8; i++) {
      input[20 + i] = (byte) (bucket >>> 56 - 8 * i);
    }
    byte[] digest = mac.doFinal(input);
    return (digest[0] & 0xFF) << 24 | (digest[1] & 0xFF) << 16 | (digest[2] & 0xFF) << 8
        | digest[3] & 0xFF;
  }
}
