package dev.streamedge.rtmp.amf;

import static dev.streamedge.rtmp.amf.AmfBytes.buf;
import static dev.streamedge.rtmp.amf.AmfBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.rtmp.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class AmfLimitsTest {

  private interface Decoder {
    Object decode(ByteBuf in) throws ProtocolException;
  }

  /** Every proper prefix of one encoded value must fail with a ProtocolException and nothing else. */
  private static void assertEveryTruncationIsRejected(byte[] encoded, Decoder decoder) throws Exception {
    assertThat(decoder.decode(Unpooled.wrappedBuffer(encoded))).as("the full encoding decodes").isNotNull();
    for (int length = 0; length < encoded.length; length++) {
      ByteBuf prefix = Unpooled.wrappedBuffer(encoded, 0, length);
      assertThatThrownBy(() -> decoder.decode(prefix))
          .as("prefix of %d of %d bytes", length, encoded.length)
          .isInstanceOf(ProtocolException.class);
      assertThat(prefix.readerIndex()).isZero();
    }
  }

  private static byte[] amf0(Object value) {
    return ByteBufUtil.getBytes(Amf0.encodeAll(value));
  }

  private static String nested(String open, String close, int depth, String innermost) {
    return open.repeat(depth) + innermost + close.repeat(depth);
  }

  @Test
  void truncatedAmf0ConnectObjectIsRejectedAtEveryLength() throws Exception {
    assertEveryTruncationIsRejected(amf0(Amf0GoldenTest.connectObject()), Amf0::decode);
  }

  @Test
  void truncatedAmf0ConnectCommandAsStrictArrayIsRejectedAtEveryLength() throws Exception {
    assertEveryTruncationIsRejected(amf0(List.of("connect", 1.0, Amf0GoldenTest.connectObject())), Amf0::decode);
  }

  @Test
  void truncatedAmf0MetadataAndDateAndLongStringAreRejectedAtEveryLength() throws Exception {
    assertEveryTruncationIsRejected(amf0(Amf0GoldenTest.metadata()), Amf0::decode);
    assertEveryTruncationIsRejected(bytes("0B 4278BCFE56800000 0000"), Amf0::decode);
    assertEveryTruncationIsRejected(bytes("0C 00000002 6869"), Amf0::decode);
    assertEveryTruncationIsRejected(bytes("10 0003 466F6F 0001 78 05 0000 09"), Amf0::decode);
    assertEveryTruncationIsRejected(bytes("03 0001 78 11 0A 0B 01 03 79 03 01 0000 09"), Amf0::decode);
  }

  @Test
  void truncatedAmf3ValuesAreRejectedAtEveryLength() throws Exception {
    assertEveryTruncationIsRejected(bytes(Amf3GoldenTest.TRAITS_HEX), Amf3::decode);
    assertEveryTruncationIsRejected(bytes(Amf3GoldenTest.MIXED_ARRAY_HEX), Amf3::decode);
    assertEveryTruncationIsRejected(bytes("04 BF FF FF FF"), Amf3::decode);
    assertEveryTruncationIsRejected(bytes("08 01 4278BCFE56800000"), Amf3::decode);
    assertEveryTruncationIsRejected(bytes("0C 07 010203"), Amf3::decode);
    assertEveryTruncationIsRejected(bytes("05 3FF8000000000000"), Amf3::decode);
  }

  @Test
  void amf0DeclaredLengthsBeyondInputAreRejectedBeforeAllocating() {
    assertThatThrownBy(() -> Amf0.decode(buf("02 FFFF 616263")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF0: string length 65535 exceeds remaining 3 bytes");
    assertThatThrownBy(() -> Amf0.decode(buf("0C 00011170 000000000000000000000000")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF0: long string length 70000 exceeds remaining 12 bytes");
    assertThatThrownBy(() -> Amf0.decode(buf("0F FFFFFFFF")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF0: XML document length 4294967295 exceeds remaining 0 bytes");
    assertThatThrownBy(() -> Amf0.decode(buf("0A FFFFFFFF 05 05")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF0: strict array count 4294967295 exceeds remaining 2 bytes");
    assertThatThrownBy(() -> Amf0.decode(buf("03 FFFF 61")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF0: property name length 65535 exceeds remaining 1 bytes");
  }

  @Test
  void amf3DeclaredLengthsBeyondInputAreRejectedBeforeAllocating() {
    assertThatThrownBy(() -> Amf3.decode(buf("06 FF FF FF FF 61")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF3: string length 268435455 exceeds remaining 1 bytes");
    assertThatThrownBy(() -> Amf3.decode(buf("0C FF FF FF FF")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF3: byte array length 268435455 exceeds remaining 0 bytes");
    assertThatThrownBy(() -> Amf3.decode(buf("09 FF FF FF FF 01 01")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF3: array dense count 268435455 exceeds remaining 1 bytes");
    assertThatThrownBy(() -> Amf3.decode(buf("0A FF FF FF F3 01")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF3: sealed member count 33554431 exceeds remaining 0 bytes");
    assertThatThrownBy(() -> Amf3.decode(buf("0B FF FF FF FF")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF3: XML length 268435455 exceeds remaining 0 bytes");
  }

  @Test
  void amf0NestingOf32IsAcceptedAnd33Rejected() throws Exception {
    assertThat(Amf0.decode(buf(nested("0A00000001", "", 32, "05")))).isNotNull();
    assertThatThrownBy(() -> Amf0.decode(buf(nested("0A00000001", "", 33, "05"))))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF: nesting deeper than 32");
    assertThat(Amf0.decode(buf(nested("03 0001 61", "0000 09", 32, "05")))).isNotNull();
    assertThatThrownBy(() -> Amf0.decode(buf(nested("03 0001 61", "0000 09", 33, "05"))))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF: nesting deeper than 32");
  }

  @Test
  void amf3NestingOf32IsAcceptedAnd33Rejected() throws Exception {
    assertThat(Amf3.decode(buf(nested("09 03 01", "", 32, "01")))).isNotNull();
    assertThatThrownBy(() -> Amf3.decode(buf(nested("09 03 01", "", 33, "01"))))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF: nesting deeper than 32");
  }

  @Test
  void amf3NestingCountsTheEnclosingAmf0Containers() throws Exception {
    String amf3Depth16 = nested("09 03 01", "", 16, "01");
    assertThat(Amf0.decode(buf(nested("0A00000001", "", 16, "11 " + amf3Depth16)))).isNotNull();
    assertThatThrownBy(() -> Amf0.decode(buf(nested("0A00000001", "", 17, "11 " + amf3Depth16))))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF: nesting deeper than 32");
  }

  @Test
  void referencesCannotExceedTheNestingLimit() throws Exception {
    // Value k is {a: reference to value k-1}, so value k is k+1 levels deep once references are followed.
    StringBuilder hex = new StringBuilder("03 0000 09");
    for (int k = 1; k < 32; k++) {
      hex.append(String.format("03 0001 61 07 %04x 0000 09", k - 1));
    }
    assertThat(Amf0.decodeAll(buf(hex.toString()))).hasSize(32);
    hex.append(String.format("03 0001 61 07 %04x 0000 09", 31));
    assertThatThrownBy(() -> Amf0.decodeAll(buf(hex.toString())))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF: nesting deeper than 32");
  }

  @Test
  void referencesCannotExpandTheResultExponentially() {
    // Value k is {a: ref k-1, b: ref k-1}: 2^k nodes if walked, from 21 bytes each.
    StringBuilder hex = new StringBuilder("03 0000 09");
    for (int k = 1; k < 30; k++) {
      hex.append(String.format("03 0001 61 07 %04x 0001 62 07 %04x 0000 09", k - 1, k - 1));
    }
    assertThatThrownBy(() -> Amf0.decodeAll(buf(hex.toString())))
        .isInstanceOf(ProtocolException.class)
        .hasMessageStartingWith("AMF: references expand the value beyond");
  }

  @Test
  void amf3ObjectReferencesCannotExpandTheResultExponentially() {
    // Dense array whose item k is [ref k, ref k] (object table index k is item k-1 or the outer array).
    int items = 40;
    StringBuilder hex = new StringBuilder("09 ").append(hexU29(items << 1 | 1)).append(" 01 09 01 01");
    for (int k = 2; k <= items; k++) {
      String ref = hexU29((k - 1) << 1);
      hex.append(" 09 05 01 09 ").append(ref).append(" 09 ").append(ref);
    }
    assertThatThrownBy(() -> Amf3.decode(buf(hex.toString())))
        .isInstanceOf(ProtocolException.class)
        .hasMessageStartingWith("AMF: references expand the value beyond");
  }

  private static String hexU29(int value) {
    return HexFormat.of().formatHex(Amf3GoldenTest.u29(value));
  }

  @Test
  void encodeAccepts32LevelsAndRejects33() {
    Object value = null;
    for (int i = 0; i < 32; i++) {
      value = Map.of("a", value == null ? "leaf" : value);
    }
    Object deepest = value;
    assertThat(Amf0.encodeAll(deepest).readableBytes()).isPositive();
    List<Object> deeper = new ArrayList<>();
    deeper.add(deepest);
    assertThatThrownBy(() -> Amf0.encodeAll(deeper))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("AMF0: nesting deeper than 32");
  }
}
