package dev.streamedge.rtmp.amf;

import dev.streamedge.rtmp.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one AMF3 value with its own string, object and traits reference tables (§3.1). The tables
 * only grow by entries read from the input, so their size is bounded by it.
 */
final class Amf3Decoder {

  private static final String CODEC = "AMF3";

  private static final int UNDEFINED = 0x00;
  private static final int NULL = 0x01;
  private static final int FALSE = 0x02;
  private static final int TRUE = 0x03;
  private static final int INTEGER = 0x04;
  private static final int DOUBLE = 0x05;
  private static final int STRING = 0x06;
  private static final int XML_DOC = 0x07;
  private static final int DATE = 0x08;
  private static final int ARRAY = 0x09;
  private static final int OBJECT = 0x0A;
  private static final int XML = 0x0B;
  private static final int BYTE_ARRAY = 0x0C;
  private static final int VECTOR_INT = 0x0D;
  private static final int VECTOR_OBJECT = 0x10;
  private static final int DICTIONARY = 0x11;

  private final ByteBuf in;
  private final DecodeLimits limits;
  private final List<String> strings = new ArrayList<>();
  private final List<DecodeLimits.Ref> objects = new ArrayList<>();
  private final List<Traits> traits = new ArrayList<>();

  Amf3Decoder(ByteBuf in, DecodeLimits limits) {
    this.in = in;
    this.limits = limits;
  }

  Object value() throws ProtocolException {
    Wire.require(in, 1, CODEC, "type marker");
    int marker = in.readUnsignedByte();
    switch (marker) {
      case UNDEFINED:
      case NULL:
        limits.leaf();
        return null;
      case FALSE:
        limits.leaf();
        return Boolean.FALSE;
      case TRUE:
        limits.leaf();
        return Boolean.TRUE;
      case INTEGER:
        limits.leaf();
        // §3.6: a 29-bit two's complement integer.
        return (double) ((u29() << 3) >> 3);
      case DOUBLE:
        limits.leaf();
        Wire.require(in, 8, CODEC, "double");
        return in.readDouble();
      case STRING:
        limits.leaf();
        return string();
      case XML_DOC:
      case XML:
        return xml();
      case DATE:
        return date();
      case ARRAY:
        return array();
      case OBJECT:
        return object();
      case BYTE_ARRAY:
        return byteArray();
      case DICTIONARY:
        throw new ProtocolException("AMF3: dictionary not supported");
      default:
        if (marker >= VECTOR_INT && marker <= VECTOR_OBJECT) {
          throw new ProtocolException(String.format("AMF3: vector type 0x%02x not supported", marker));
        }
        throw new ProtocolException(String.format("AMF3: unknown type marker 0x%02x", marker));
    }
  }

  /** §1.3.1 U29: 7 bits per byte while the high bit is set, the fourth byte contributing all 8. */
  private int u29() throws ProtocolException {
    int result = 0;
    for (int i = 0; i < 3; i++) {
      Wire.require(in, 1, CODEC, "U29");
      int b = in.readUnsignedByte();
      result = (result << 7) | (b & 0x7F);
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    Wire.require(in, 1, CODEC, "U29");
    return (result << 8) | in.readUnsignedByte();
  }

  /** §1.3.2 UTF-8-vr: low bit 0 is a string reference; the empty string is never put in the table. */
  private String string() throws ProtocolException {
    int header = u29();
    if ((header & 1) == 0) {
      int index = header >>> 1;
      if (index >= strings.size()) {
        throw new ProtocolException(
            "AMF3: string reference " + index + " but only " + strings.size() + " strings decoded so far");
      }
      return strings.get(index);
    }
    String text = Wire.utf8(in, header >>> 1, CODEC, "string");
    if (!text.isEmpty()) {
      strings.add(text);
    }
    return text;
  }

  /** U29O-ref: low bit 0 means the remaining bits index the object table. */
  private Object objectReference(int header) throws ProtocolException {
    int index = header >>> 1;
    if (index >= objects.size()) {
      throw new ProtocolException(
          "AMF3: object reference " + index + " but only " + objects.size() + " objects decoded so far");
    }
    return limits.reference(objects.get(index), CODEC);
  }

  /** §3.9 XMLDocument and §3.13 XML: a length-prefixed UTF-8 text kept in the object table. */
  private Object xml() throws ProtocolException {
    int header = u29();
    if ((header & 1) == 0) {
      return objectReference(header);
    }
    limits.leaf();
    String text = Wire.utf8(in, header >>> 1, CODEC, "XML");
    objects.add(DecodeLimits.Ref.scalar(text));
    return text;
  }

  /** §3.10: the remaining header bits are unused; milliseconds since the epoch follow as a double. */
  private Object date() throws ProtocolException {
    int header = u29();
    if ((header & 1) == 0) {
      return objectReference(header);
    }
    limits.leaf();
    Wire.require(in, 8, CODEC, "date");
    Object date = Wire.instant(in.readDouble(), CODEC);
    objects.add(DecodeLimits.Ref.scalar(date));
    return date;
  }

  /** §3.14: raw bytes with a U29 length, kept in the object table. */
  private Object byteArray() throws ProtocolException {
    int header = u29();
    if ((header & 1) == 0) {
      return objectReference(header);
    }
    limits.leaf();
    int length = header >>> 1;
    Wire.requireCount(in, length, CODEC, "byte array length");
    byte[] bytes = new byte[length];
    in.readBytes(bytes);
    objects.add(DecodeLimits.Ref.scalar(bytes));
    return bytes;
  }

  /** §3.11: the dense count, associative name/value pairs up to an empty name, then the dense values. */
  private Object array() throws ProtocolException {
    int header = u29();
    if ((header & 1) == 0) {
      return objectReference(header);
    }
    int denseCount = header >>> 1;
    DecodeLimits.Ref ref = limits.open();
    objects.add(ref);
    Map<String, Object> associative = new LinkedHashMap<>();
    for (String name = string(); !name.isEmpty(); name = string()) {
      associative.put(name, value());
    }
    Wire.requireCount(in, denseCount, CODEC, "array dense count");
    List<Object> dense = new ArrayList<>(denseCount);
    for (int i = 0; i < denseCount; i++) {
      dense.add(value());
    }
    Object result = dense;
    if (!associative.isEmpty()) {
      for (int i = 0; i < denseCount; i++) {
        associative.put(Integer.toString(i), dense.get(i));
      }
      result = associative;
    }
    limits.close(ref, result);
    return result;
  }

  /** §3.12: traits (inline or referenced), sealed member values in trait order, then dynamic members. */
  private Object object() throws ProtocolException {
    int header = u29();
    if ((header & 1) == 0) {
      return objectReference(header);
    }
    DecodeLimits.Ref ref = limits.open();
    objects.add(ref);
    Traits objectTraits = traits(header);
    Map<String, Object> members = new LinkedHashMap<>();
    for (String name : objectTraits.sealed()) {
      members.put(name, value());
    }
    if (objectTraits.dynamic()) {
      for (String name = string(); !name.isEmpty(); name = string()) {
        members.put(name, value());
      }
    }
    limits.close(ref, members);
    return members;
  }

  /**
   * U29O-traits-ref (bit 1 clear) indexes the traits table; otherwise bit 2 marks externalizable, bit 3
   * dynamic, and the rest counts the sealed member names that follow the class name.
   */
  private Traits traits(int header) throws ProtocolException {
    if ((header & 2) == 0) {
      int index = header >>> 2;
      if (index >= traits.size()) {
        throw new ProtocolException(
            "AMF3: traits reference " + index + " but only " + traits.size() + " traits decoded so far");
      }
      return traits.get(index);
    }
    String className = string();
    if ((header & 4) != 0) {
      throw new ProtocolException("AMF3: externalizable class " + className + " not supported");
    }
    int sealedCount = header >>> 4;
    Wire.requireCount(in, sealedCount, CODEC, "sealed member count");
    List<String> sealed = new ArrayList<>(sealedCount);
    for (int i = 0; i < sealedCount; i++) {
      sealed.add(string());
    }
    Traits inline = new Traits((header & 8) != 0, sealed);
    traits.add(inline);
    return inline;
  }

  private record Traits(boolean dynamic, List<String> sealed) {}
}
