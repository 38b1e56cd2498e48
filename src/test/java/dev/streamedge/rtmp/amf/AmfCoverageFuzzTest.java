package dev.streamedge.rtmp.amf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.streamedge.rtmp.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzzing of the AMF0 and AMF3 decoders (docs/fuzzing.md). The first input byte picks
 * the codec; the rest is the encoded value(s). A decode returns or throws {@link ProtocolException},
 * and then leaves the reader index where it was. What decodes is bounded by the input: containers
 * nest at most {@link DecodeLimits#MAX_DEPTH} deep, and the value counted as if every reference were a
 * copy has at most eight nodes per input byte, so walking it costs no more than reading the input. An
 * AMF0 result encodes and decodes to an equal value.
 */
@Tag("fuzz")
class AmfCoverageFuzzTest {

  /** DecodeLimits' expansion factor: nodes per input byte. */
  private static final int NODES_PER_BYTE = 8;

  @FuzzTest(maxDuration = "30s", maxExecutions = 250_000)
  void decodersReturnBoundedValuesOrThrowProtocolException(byte[] input) {
    if (input.length == 0) {
      return;
    }
    ByteBuf in = Unpooled.wrappedBuffer(input, 1, input.length - 1);
    int bytes = in.readableBytes();
    if ((input[0] & 1) == 0) {
      amf0(in, bytes);
    } else {
      amf3(in, bytes);
    }
  }

  private static void amf0(ByteBuf in, int bytes) {
    List<Object> values;
    try {
      values = Amf0.decodeAll(in);
    } catch (ProtocolException e) {
      unmoved(in);
      return;
    }
    if (in.isReadable()) {
      throw new AssertionError("decodeAll left " + in.readableBytes() + " bytes");
    }
    long budget = (long) NODES_PER_BYTE * Math.max(bytes, 1);
    for (Object value : values) {
      budget -= nodes(value, 0, budget);
    }
    roundTrips(values);
    if (values.isEmpty()) {
      return;
    }
    in.readerIndex(0);
    try {
      Amf0.decode(in);
    } catch (ProtocolException e) {
      throw new AssertionError("the first of values that decode together does not decode alone: " + e.getMessage());
    }
  }

  private static void amf3(ByteBuf in, int bytes) {
    Object value;
    try {
      value = Amf3.decode(in);
    } catch (ProtocolException e) {
      unmoved(in);
      return;
    }
    nodes(value, 0, (long) NODES_PER_BYTE * Math.max(bytes, 1));
  }

  private static void unmoved(ByteBuf in) {
    if (in.readerIndex() != 0) {
      throw new AssertionError("reader index " + in.readerIndex() + " after a failed decode");
    }
  }

  /**
   * Counts the nodes of {@code value} (a shared value once per place it appears), failing as soon as
   * the count passes {@code budget} or containers nest too deep.
   */
  private static long nodes(Object value, int depth, long budget) {
    if (budget <= 0) {
      throw new AssertionError("decoded value has more than " + NODES_PER_BYTE + " nodes per input byte");
    }
    Iterable<?> children;
    if (value instanceof Map<?, ?> map) {
      children = map.values();
    } else if (value instanceof EcmaArray array) {
      children = array.entries().values();
    } else if (value instanceof List<?> list) {
      children = list;
    } else {
      return 1;
    }
    if (depth == DecodeLimits.MAX_DEPTH) {
      throw new AssertionError("containers nest deeper than " + DecodeLimits.MAX_DEPTH);
    }
    long count = 1;
    for (Object child : children) {
      count += nodes(child, depth + 1, budget - count);
    }
    return count;
  }

  /** What decodes encodes and decodes again to an equal value; AMF0 has no byte arrays, AMF3's only. */
  private static void roundTrips(List<Object> values) {
    ByteBuf encoded;
    try {
      encoded = Amf0.encodeAll(values.toArray());
    } catch (IllegalArgumentException e) {
      if (!"AMF0: cannot encode [B".equals(e.getMessage())) {
        throw new AssertionError("a decoded value does not encode", e);
      }
      return;
    }
    try {
      List<Object> again = Amf0.decodeAll(encoded);
      if (!again.equals(values)) {
        throw new AssertionError("decoded " + values + ", after encoding and decoding " + again);
      }
    } catch (ProtocolException e) {
      throw new AssertionError("our own encoding does not decode: " + e.getMessage());
    }
  }
}
