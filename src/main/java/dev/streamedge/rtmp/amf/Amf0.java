package dev.streamedge.rtmp.amf;

import dev.streamedge.rtmp.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * AMF0 (Action Message Format 0, Adobe spec 2006), the encoding of RTMP command and data messages.
 *
 * <p>Values map to Java as: number → {@link Double}; boolean → {@link Boolean}; string, long string
 * and XML document → {@link String}; null, undefined and unsupported → {@code null}; object and typed
 * object → {@link java.util.LinkedHashMap} (class name dropped); ECMA array → {@link EcmaArray};
 * strict array → {@link List}; date → {@link Instant}; an AVM+ switch yields the AMF3 value that
 * follows (see {@link Amf3}).
 */
public final class Amf0 {

  static final int NUMBER = 0x00;
  static final int BOOLEAN = 0x01;
  static final int STRING = 0x02;
  static final int OBJECT = 0x03;
  static final int MOVIECLIP = 0x04;
  static final int NULL = 0x05;
  static final int UNDEFINED = 0x06;
  static final int REFERENCE = 0x07;
  static final int ECMA_ARRAY = 0x08;
  static final int OBJECT_END = 0x09;
  static final int STRICT_ARRAY = 0x0A;
  static final int DATE = 0x0B;
  static final int LONG_STRING = 0x0C;
  static final int UNSUPPORTED = 0x0D;
  static final int RECORDSET = 0x0E;
  static final int XML_DOCUMENT = 0x0F;
  static final int TYPED_OBJECT = 0x10;
  static final int AVMPLUS_OBJECT = 0x11;

  private static final int MAX_SHORT_STRING = 0xFFFF;

  private Amf0() {}

  /**
   * Decodes one value at the reader index and advances it. On failure the reader index is left where
   * it was.
   */
  public static Object decode(ByteBuf in) throws ProtocolException {
    int start = in.readerIndex();
    try {
      return new Amf0Decoder(in).value();
    } catch (ProtocolException e) {
      in.readerIndex(start);
      throw e;
    }
  }

  /**
   * Decodes values until the buffer has no readable bytes left (used for command and data messages).
   * References may point at objects of earlier values. On failure the reader index is left where it
   * was.
   */
  public static List<Object> decodeAll(ByteBuf in) throws ProtocolException {
    int start = in.readerIndex();
    try {
      Amf0Decoder decoder = new Amf0Decoder(in);
      List<Object> values = new ArrayList<>();
      while (in.isReadable()) {
        values.add(decoder.value());
      }
      return values;
    } catch (ProtocolException e) {
      in.readerIndex(start);
      throw e;
    }
  }

  /**
   * Writes one value: Number → number, Boolean, CharSequence → string (long string when its UTF-8 is
   * longer than 65535 bytes), Map → object, EcmaArray → ECMA array, List → strict array, null → null,
   * Instant → date (milliseconds, time zone 0).
   *
   * @throws IllegalArgumentException for any other type, map keys that are not strings or exceed 65535
   *     UTF-8 bytes, or nesting deeper than the decoder accepts; the buffer may then hold a partial value
   */
  public static void encode(ByteBuf out, Object value) {
    write(out, value, 0);
  }

  /** Convenience: a new heap buffer holding the values written in order. */
  public static ByteBuf encodeAll(Object... values) {
    ByteBuf out = Unpooled.buffer();
    for (Object value : values) {
      encode(out, value);
    }
    return out;
  }

  private static void write(ByteBuf out, Object value, int depth) {
    if (value == null) {
      out.writeByte(NULL);
    } else if (value instanceof Number number) {
      out.writeByte(NUMBER);
      out.writeDouble(number.doubleValue());
    } else if (value instanceof Boolean bool) {
      out.writeByte(BOOLEAN);
      out.writeByte(bool ? 1 : 0);
    } else if (value instanceof CharSequence text) {
      writeString(out, text.toString());
    } else if (value instanceof Instant instant) {
      // §2.13: milliseconds as a double, then a time zone that the spec says to write as 0.
      out.writeByte(DATE);
      out.writeDouble(instant.toEpochMilli());
      out.writeShort(0);
    } else if (value instanceof EcmaArray array) {
      // §2.10: the count is only a hint to readers; the end marker closes the array.
      out.writeByte(ECMA_ARRAY);
      out.writeInt(array.entries().size());
      writeProperties(out, array.entries(), enter(depth));
    } else if (value instanceof Map<?, ?> map) {
      out.writeByte(OBJECT);
      writeProperties(out, map, enter(depth));
    } else if (value instanceof List<?> list) {
      out.writeByte(STRICT_ARRAY);
      out.writeInt(list.size());
      int inner = enter(depth);
      for (Object item : list) {
        write(out, item, inner);
      }
    } else {
      throw new IllegalArgumentException("AMF0: cannot encode " + value.getClass().getName());
    }
  }

  private static int enter(int depth) {
    if (depth == DecodeLimits.MAX_DEPTH) {
      throw new IllegalArgumentException("AMF0: nesting deeper than " + DecodeLimits.MAX_DEPTH);
    }
    return depth + 1;
  }

  /** §2.5: name/value pairs closed by an empty name and the object-end marker. */
  private static void writeProperties(ByteBuf out, Map<?, ?> properties, int depth) {
    for (Map.Entry<?, ?> property : properties.entrySet()) {
      if (!(property.getKey() instanceof CharSequence key)) {
        throw new IllegalArgumentException("AMF0: object keys must be strings, got " + property.getKey());
      }
      byte[] name = key.toString().getBytes(StandardCharsets.UTF_8);
      if (name.length > MAX_SHORT_STRING) {
        throw new IllegalArgumentException("AMF0: object key of " + name.length + " UTF-8 bytes is too long");
      }
      out.writeShort(name.length);
      out.writeBytes(name);
      write(out, property.getValue(), depth);
    }
    out.writeShort(0);
    out.writeByte(OBJECT_END);
  }

  /** §2.4 string with a 16-bit length, or §2.14 long string with a 32-bit length when it does not fit. */
  private static void writeString(ByteBuf out, String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    if (utf8.length <= MAX_SHORT_STRING) {
      out.writeByte(STRING);
      out.writeShort(utf8.length);
    } else {
      out.writeByte(LONG_STRING);
      out.writeInt(utf8.length);
    }
    out.writeBytes(utf8);
  }
}
