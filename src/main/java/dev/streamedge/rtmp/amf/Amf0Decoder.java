package dev.streamedge.rtmp.amf;

import static dev.streamedge.rtmp.amf.Amf0.AVMPLUS_OBJECT;
import static dev.streamedge.rtmp.amf.Amf0.BOOLEAN;
import static dev.streamedge.rtmp.amf.Amf0.DATE;
import static dev.streamedge.rtmp.amf.Amf0.ECMA_ARRAY;
import static dev.streamedge.rtmp.amf.Amf0.LONG_STRING;
import static dev.streamedge.rtmp.amf.Amf0.MOVIECLIP;
import static dev.streamedge.rtmp.amf.Amf0.NULL;
import static dev.streamedge.rtmp.amf.Amf0.NUMBER;
import static dev.streamedge.rtmp.amf.Amf0.OBJECT;
import static dev.streamedge.rtmp.amf.Amf0.OBJECT_END;
import static dev.streamedge.rtmp.amf.Amf0.RECORDSET;
import static dev.streamedge.rtmp.amf.Amf0.REFERENCE;
import static dev.streamedge.rtmp.amf.Amf0.STRICT_ARRAY;
import static dev.streamedge.rtmp.amf.Amf0.STRING;
import static dev.streamedge.rtmp.amf.Amf0.TYPED_OBJECT;
import static dev.streamedge.rtmp.amf.Amf0.UNDEFINED;
import static dev.streamedge.rtmp.amf.Amf0.UNSUPPORTED;
import static dev.streamedge.rtmp.amf.Amf0.XML_DOCUMENT;

import dev.streamedge.rtmp.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads AMF0 values from one buffer. One instance serves one {@code decode}/{@code decodeAll} call, so
 * its reference table (§2.9) spans exactly the values of that call.
 */
final class Amf0Decoder {

  private static final String CODEC = "AMF0";

  private final ByteBuf in;
  private final DecodeLimits limits;
  /** §2.9: objects, typed objects, ECMA arrays and strict arrays, numbered in the order they begin. */
  private final List<DecodeLimits.Ref> references = new ArrayList<>();

  Amf0Decoder(ByteBuf in) {
    this.in = in;
    this.limits = new DecodeLimits(in.readableBytes());
  }

  Object value() throws ProtocolException {
    Wire.require(in, 1, CODEC, "type marker");
    int marker = in.readUnsignedByte();
    switch (marker) {
      case NUMBER:
        limits.leaf();
        Wire.require(in, 8, CODEC, "number");
        return in.readDouble();
      case BOOLEAN:
        limits.leaf();
        Wire.require(in, 1, CODEC, "boolean");
        return in.readUnsignedByte() != 0;
      case STRING:
        limits.leaf();
        Wire.require(in, 2, CODEC, "string length");
        return Wire.utf8(in, in.readUnsignedShort(), CODEC, "string");
      case LONG_STRING:
        limits.leaf();
        Wire.require(in, 4, CODEC, "long string length");
        return Wire.utf8(in, in.readUnsignedInt(), CODEC, "long string");
      case XML_DOCUMENT:
        limits.leaf();
        Wire.require(in, 4, CODEC, "XML document length");
        return Wire.utf8(in, in.readUnsignedInt(), CODEC, "XML document");
      case NULL:
      case UNDEFINED:
      case UNSUPPORTED:
        // §2.15: "unsupported" stands in for a value the sender could not serialize.
        limits.leaf();
        return null;
      case DATE:
        limits.leaf();
        Wire.require(in, 10, CODEC, "date");
        double millis = in.readDouble();
        in.skipBytes(2); // §2.13: the time zone is reserved and must be ignored.
        return Wire.instant(millis, CODEC);
      case OBJECT:
        return object();
      case TYPED_OBJECT:
        // §2.18: a class name, then the same properties as an anonymous object.
        Wire.require(in, 2, CODEC, "class name length");
        Wire.utf8(in, in.readUnsignedShort(), CODEC, "class name");
        return object();
      case ECMA_ARRAY:
        return ecmaArray();
      case STRICT_ARRAY:
        return strictArray();
      case REFERENCE:
        return reference();
      case AVMPLUS_OBJECT:
        // §3.1: the value that follows is AMF3.
        return new Amf3Decoder(in, limits).value();
      case OBJECT_END:
        throw new ProtocolException("AMF0: object-end marker outside an object");
      case MOVIECLIP:
      case RECORDSET:
        // §2.7 and §2.16: reserved, never sent by Flash Player or any encoder in use.
        throw new ProtocolException(String.format("AMF0: reserved type marker 0x%02x not supported", marker));
      default:
        throw new ProtocolException(String.format("AMF0: unknown type marker 0x%02x", marker));
    }
  }

  private Map<String, Object> object() throws ProtocolException {
    DecodeLimits.Ref ref = limits.open();
    references.add(ref);
    Map<String, Object> properties = properties();
    limits.close(ref, properties);
    return properties;
  }

  /** §2.10: the leading count is a hint that encoders get wrong, so only the end marker is trusted. */
  private EcmaArray ecmaArray() throws ProtocolException {
    Wire.require(in, 4, CODEC, "ECMA array count");
    in.skipBytes(4);
    DecodeLimits.Ref ref = limits.open();
    references.add(ref);
    EcmaArray array = new EcmaArray(properties());
    limits.close(ref, array);
    return array;
  }

  /** §2.12: a 32-bit count, then that many values. */
  private List<Object> strictArray() throws ProtocolException {
    Wire.require(in, 4, CODEC, "strict array count");
    long count = in.readUnsignedInt();
    Wire.requireCount(in, count, CODEC, "strict array count");
    DecodeLimits.Ref ref = limits.open();
    references.add(ref);
    List<Object> items = new ArrayList<>((int) count);
    for (long i = 0; i < count; i++) {
      items.add(value());
    }
    limits.close(ref, items);
    return items;
  }

  private Object reference() throws ProtocolException {
    Wire.require(in, 2, CODEC, "reference");
    int index = in.readUnsignedShort();
    if (index >= references.size()) {
      throw new ProtocolException(
          "AMF0: reference " + index + " but only " + references.size() + " objects decoded so far");
    }
    return limits.reference(references.get(index), CODEC);
  }

  /**
   * §2.5: name/value pairs until an empty name followed by the object-end marker. An empty name before
   * any other marker is an ordinary property named "".
   */
  private Map<String, Object> properties() throws ProtocolException {
    Map<String, Object> properties = new LinkedHashMap<>();
    while (true) {
      Wire.require(in, 2, CODEC, "property name length");
      int length = in.readUnsignedShort();
      if (length == 0 && in.isReadable() && in.getUnsignedByte(in.readerIndex()) == OBJECT_END) {
        in.skipBytes(1);
        return properties;
      }
      String name = Wire.utf8(in, length, CODEC, "property name");
      properties.put(name, value());
    }
  }
}
