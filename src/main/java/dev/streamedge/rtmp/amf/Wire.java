package dev.streamedge.rtmp.amf;

import dev.streamedge.rtmp.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Bounds-checked reads shared by the AMF0 and AMF3 decoders. Every declared length is compared with
 * the readable bytes before anything is read or allocated, so malformed input ends in a
 * {@link ProtocolException} and never in a buffer exception or an oversized allocation.
 */
final class Wire {

  /** The ECMAScript time value range, ±10^8 days in milliseconds (ECMA-262 5.1 §15.9.1.1). */
  private static final double MAX_DATE_MILLIS = 8.64e15;

  private Wire() {}

  static void require(ByteBuf in, int bytes, String codec, String what) throws ProtocolException {
    if (in.readableBytes() < bytes) {
      throw new ProtocolException(
          codec + ": truncated " + what + ", needs " + bytes + " bytes but " + in.readableBytes() + " remain");
    }
  }

  /** Fails unless {@code count} items of at least one byte each can still follow. */
  static void requireCount(ByteBuf in, long count, String codec, String what) throws ProtocolException {
    if (count > in.readableBytes()) {
      throw new ProtocolException(
          codec + ": " + what + " " + count + " exceeds remaining " + in.readableBytes() + " bytes");
    }
  }

  /** Reads {@code length} bytes of UTF-8; malformed sequences become U+FFFD rather than failing. */
  static String utf8(ByteBuf in, long length, String codec, String what) throws ProtocolException {
    requireCount(in, length, codec, what + " length");
    return in.readCharSequence((int) length, StandardCharsets.UTF_8).toString();
  }

  /** Dates travel as a double of milliseconds since the epoch; time values are whole milliseconds. */
  static Instant instant(double millis, String codec) throws ProtocolException {
    if (!(Math.abs(millis) <= MAX_DATE_MILLIS)) {
      throw new ProtocolException(codec + ": date " + millis + " ms is outside the ECMAScript range");
    }
    return Instant.ofEpochMilli((long) millis);
  }
}
