package dev.streamedge.rtmp.amf;

import static dev.streamedge.rtmp.amf.AmfBytes.buf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.rtmp.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class Amf3GoldenTest {

  /**
   * A dense array of three objects: an inline-traits object of class "Foo" with sealed a, b and a
   * dynamic c; a second one reusing those traits by reference; and an object reference to the first.
   */
  static final String TRAITS_HEX =
      "09 07 01"
          + "0A 2B 07 466F6F 03 61 03 62" // traits: sealed 2, dynamic, class "Foo", names "a" "b"
          + "04 01 06 03 78" // a = 1, b = "x"
          + "03 63 03 01" // dynamic c = true, end
          + "0A 01" // traits reference 0
          + "04 02 06 06" // a = 2, b = string reference 3 ("x")
          + "01" // no dynamic members
          + "0A 02"; // object reference 1: the first object

  /** {k: "v"} associative part plus dense [5]. */
  static final String MIXED_ARRAY_HEX = "09 03 03 6B 06 03 76 01 04 05";

  /** The U29 encoding of a 29-bit value (spec §1.3.1), used to cross-check the hand-written bytes. */
  static byte[] u29(int value) {
    int v = value & 0x1FFFFFFF;
    if (v < 0x80) {
      return new byte[] {(byte) v};
    }
    if (v < 0x4000) {
      return new byte[] {(byte) (0x80 | v >> 7), (byte) (v & 0x7F)};
    }
    if (v < 0x200000) {
      return new byte[] {(byte) (0x80 | v >> 14), (byte) (0x80 | v >> 7 & 0x7F), (byte) (v & 0x7F)};
    }
    return new byte[] {
      (byte) (0x80 | v >> 22), (byte) (0x80 | v >> 15 & 0x7F), (byte) (0x80 | v >> 8 & 0x7F), (byte) v
    };
  }

  private static Object decodeFully(String hex) throws ProtocolException {
    ByteBuf in = buf(hex);
    Object value = Amf3.decode(in);
    assertThat(in.readableBytes()).as("bytes left after decode").isZero();
    return value;
  }

  private static Object integer(byte[] u29) throws ProtocolException {
    ByteBuf in = Unpooled.buffer().writeByte(0x04).writeBytes(u29);
    Object value = Amf3.decode(in);
    assertThat(in.isReadable()).isFalse();
    return value;
  }

  @Test
  void scalarMarkersDecodeToNullBooleansAndDouble() throws Exception {
    assertThat(decodeFully("00")).isNull();
    assertThat(decodeFully("01")).isNull();
    assertThat(decodeFully("02")).isEqualTo(false);
    assertThat(decodeFully("03")).isEqualTo(true);
    assertThat(decodeFully("05 3FF8000000000000")).isEqualTo(1.5);
  }

  @Test
  void u29IntegerBoundariesDecodeAsDoubles() throws Exception {
    assertThat(decodeFully("04 7F")).isEqualTo(127.0);
    assertThat(decodeFully("04 81 00")).isEqualTo(128.0);
    assertThat(decodeFully("04 FF 7F")).isEqualTo(16383.0);
    assertThat(decodeFully("04 81 80 00")).isEqualTo(16384.0);
    assertThat(decodeFully("04 FF FF 7F")).isEqualTo(2097151.0);
    assertThat(decodeFully("04 80 C0 80 00")).isEqualTo(2097152.0);
    assertThat(decodeFully("04 BF FF FF FF")).isEqualTo(268435455.0);
  }

  @Test
  void u29IntegerIsSignExtendedFrom29Bits() throws Exception {
    assertThat(decodeFully("04 FF FF FF FF")).isEqualTo(-1.0);
    assertThat(decodeFully("04 FF FF FF FE")).isEqualTo(-2.0);
    assertThat(decodeFully("04 C0 80 80 00")).isEqualTo(-268435456.0);
  }

  @Test
  void u29DecodingMatchesReferenceEncoderAcrossTheRange() throws Exception {
    int[] values = {
      0, 1, 0x7F, 0x80, 0x3FFF, 0x4000, 0x1FFFFF, 0x200000, 0x0FFFFFFF, -1, -0x80, -0x4000, -0x10000000
    };
    for (int value : values) {
      assertThat(integer(u29(value))).as("U29 %d", value).isEqualTo((double) value);
    }
    for (int value = -0x10000000; value <= 0x0FFFFFFF; value += 65_537) {
      assertThat(integer(u29(value))).as("U29 %d", value).isEqualTo((double) value);
    }
  }

  @Test
  void u29UsesAtMostFourBytes() throws Exception {
    ByteBuf in = buf("04 FF FF FF FF 7F");
    assertThat(Amf3.decode(in)).isEqualTo(-1.0);
    assertThat(in.readableBytes()).isEqualTo(1);
  }

  @Test
  void stringReferencesPointAtEarlierNonEmptyStrings() throws Exception {
    // ["abc", "", ref 0, ""] - the empty string is never added to the table.
    assertThat(decodeFully("09 09 01 06 07 616263 06 01 06 00 06 01")).isEqualTo(List.of("abc", "", "abc", ""));
  }

  @Test
  void stringReferenceOutOfRangeIsRejected() {
    assertThatThrownBy(() -> Amf3.decode(buf("09 05 01 06 01 06 00")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF3: string reference 0 but only 0 strings decoded so far");
  }

  @Test
  void objectsWithInlineTraitsTraitsReferenceAndObjectReference() throws Exception {
    List<Object> objects = List.copyOf((List<?>) decodeFully(TRAITS_HEX));
    Map<String, Object> first = new LinkedHashMap<>();
    first.put("a", 1.0);
    first.put("b", "x");
    first.put("c", true);
    assertThat(objects).containsExactly(first, Map.of("a", 2.0, "b", "x"), first);
    assertThat(objects.get(0)).isInstanceOf(LinkedHashMap.class);
    assertThat(objects.get(2)).isSameAs(objects.get(0));
    assertThat(((Map<?, ?>) objects.get(0)).keySet()).hasToString("[a, b, c]");
  }

  @Test
  void anonymousDynamicObjectKeepsMemberOrder() throws Exception {
    Object decoded = decodeFully("0A 0B 01 03 7A 04 01 03 79 04 02 01");
    assertThat(decoded).isInstanceOf(LinkedHashMap.class).isEqualTo(Map.of("z", 1.0, "y", 2.0));
    assertThat(((Map<?, ?>) decoded).keySet()).hasToString("[z, y]");
  }

  @Test
  void externalizableObjectIsRejectedWithClassName() {
    assertThatThrownBy(() -> Amf3.decode(buf("0A 07 07 466F6F")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF3: externalizable class Foo not supported");
  }

  @Test
  void traitsReferenceOutOfRangeIsRejected() {
    assertThatThrownBy(() -> Amf3.decode(buf("0A 05")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF3: traits reference 1 but only 0 traits decoded so far");
  }

  @Test
  void denseArrayIsList() throws Exception {
    assertThat(decodeFully("09 07 01 04 01 02 01")).isEqualTo(Arrays.asList(1.0, false, null));
    assertThat(decodeFully("09 01 01")).isEqualTo(List.of());
  }

  @Test
  void arrayWithAssociativePartIsMapWithDenseItemsUnderIndexKeys() throws Exception {
    Object decoded = decodeFully(MIXED_ARRAY_HEX);
    assertThat(decoded).isInstanceOf(LinkedHashMap.class).isEqualTo(Map.of("k", "v", "0", 5.0));
    assertThat(((Map<?, ?>) decoded).keySet()).hasToString("[k, 0]");
  }

  @Test
  void byteArrayDecodesToBytesAndCanBeReferenced() throws Exception {
    List<?> list = (List<?>) decodeFully("09 05 01 0C 07 010203 0C 02");
    assertThat((byte[]) list.get(0)).containsExactly(1, 2, 3);
    assertThat(list.get(1)).isSameAs(list.get(0));
  }

  @Test
  void dateDecodesToInstantAndCanBeReferenced() throws Exception {
    Instant instant = Instant.ofEpochMilli(1_700_000_000_000L);
    assertThat(decodeFully("08 01 4278BCFE56800000")).isEqualTo(instant);
    assertThat(decodeFully("09 05 01 08 01 4278BCFE56800000 08 02")).isEqualTo(List.of(instant, instant));
  }

  @Test
  void xmlAndXmlDocumentDecodeToString() throws Exception {
    assertThat(decodeFully("0B 09 3C612F3E")).isEqualTo("<a/>");
    assertThat(decodeFully("07 09 3C622F3E")).isEqualTo("<b/>");
  }

  @Test
  void objectReferenceToUnknownOrUnfinishedObjectIsRejected() {
    assertThatThrownBy(() -> Amf3.decode(buf("0A 00")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF3: object reference 0 but only 0 objects decoded so far");
    assertThatThrownBy(() -> Amf3.decode(buf("09 03 01 09 00")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF3: reference to an object that is still being decoded");
  }

  @Test
  void vectorsAndDictionaryAndUnknownMarkersAreRejected() {
    for (String marker : List.of("0D", "0E", "0F", "10")) {
      assertThatThrownBy(() -> Amf3.decode(buf(marker + " 03 00 00000001")))
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("vector type");
    }
    assertThatThrownBy(() -> Amf3.decode(buf("11 01 00")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF3: dictionary not supported");
    assertThatThrownBy(() -> Amf3.decode(buf("12")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF3: unknown type marker 0x12");
  }

  @Test
  void eachDecodeStartsWithFreshReferenceTables() throws Exception {
    ByteBuf in = buf("06 07 616263 06 00");
    assertThat(Amf3.decode(in)).isEqualTo("abc");
    assertThatThrownBy(() -> Amf3.decode(in)).isInstanceOf(ProtocolException.class);
    assertThat(in.readableBytes()).isEqualTo(2);
  }
}
