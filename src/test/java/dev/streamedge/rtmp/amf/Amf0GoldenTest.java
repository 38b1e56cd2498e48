package dev.streamedge.rtmp.amf;

import static dev.streamedge.rtmp.amf.AmfBytes.buf;
import static dev.streamedge.rtmp.amf.AmfBytes.hex;
import static dev.streamedge.rtmp.amf.AmfBytes.normalize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.rtmp.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class Amf0GoldenTest {

  /** The command ffmpeg sends first: "connect", transaction 1, the command object. */
  static final String CONNECT_HEX =
      "02 0007 636f6e6e656374" // "connect"
          + "00 3ff0000000000000" // 1.0
          + "03"
          + "0003 617070 02 0004 6c697665" // app: "live"
          + "0004 74797065 02 000a 6e6f6e70726976617465" // type: "nonprivate"
          + "0008 666c617368566572 02 001f" // flashVer:
          + "464d4c452f332e302028636f6d70617469626c653b20464d53632f312e3029" // "FMLE/3.0 (compatible; FMSc/1.0)"
          + "0005 746355726c 02 0015" // tcUrl:
          + "72746d703a2f2f6c6f63616c686f73742f6c697665" // "rtmp://localhost/live"
          + "0000 09";

  /** "onMetaData" followed by an ECMA array {duration: 10, width: 1280, height: 720, encoder: "Lavf61.7.100"}. */
  static final String ON_METADATA_HEX =
      "02 000a 6f6e4d65746144617461" // "onMetaData"
          + "08 00000004"
          + "0008 6475726174696f6e 00 4024000000000000" // duration: 10
          + "0005 7769647468 00 4094000000000000" // width: 1280
          + "0006 686569676874 00 4086800000000000" // height: 720
          + "0007 656e636f646572 02 000c 4c61766636312e372e313030" // encoder: "Lavf61.7.100"
          + "0000 09";

  static Map<String, Object> connectObject() {
    Map<String, Object> command = new LinkedHashMap<>();
    command.put("app", "live");
    command.put("type", "nonprivate");
    command.put("flashVer", "FMLE/3.0 (compatible; FMSc/1.0)");
    command.put("tcUrl", "rtmp://localhost/live");
    return command;
  }

  static EcmaArray metadata() {
    Map<String, Object> entries = new LinkedHashMap<>();
    entries.put("duration", 10.0);
    entries.put("width", 1280.0);
    entries.put("height", 720.0);
    entries.put("encoder", "Lavf61.7.100");
    return new EcmaArray(entries);
  }

  private static void assertEncodes(Object value, String expectedHex) {
    ByteBuf out = Unpooled.buffer();
    Amf0.encode(out, value);
    assertThat(hex(out)).isEqualTo(normalize(expectedHex));
  }

  private static List<Object> keys(Object map) {
    return new ArrayList<>(((Map<?, ?>) map).keySet());
  }

  private static Object decodeFully(String hex) throws ProtocolException {
    ByteBuf in = buf(hex);
    Object value = Amf0.decode(in);
    assertThat(in.readableBytes()).as("bytes left after decode").isZero();
    return value;
  }

  @Test
  void numberIsMarkerZeroAndBigEndianDouble() throws Exception {
    assertEncodes(1.0, "00 3F F0 00 00 00 00 00 00");
    assertEncodes(-1.5, "00 BF F8 00 00 00 00 00 00");
    assertEncodes(7, "00 40 1C 00 00 00 00 00 00");
    assertThat(decodeFully("00 3F F0 00 00 00 00 00 00")).isEqualTo(1.0);
    assertThat(decodeFully("00 41 32 D6 87 00 00 00 00")).isEqualTo(1234567.0);
  }

  @Test
  void booleanIsOneByteAndAnyNonZeroByteIsTrue() throws Exception {
    assertEncodes(true, "01 01");
    assertEncodes(false, "01 00");
    assertThat(decodeFully("01 00")).isEqualTo(false);
    assertThat(decodeFully("01 01")).isEqualTo(true);
    assertThat(decodeFully("01 FF")).isEqualTo(true);
  }

  @Test
  void stringHasSixteenBitLengthAndUtf8Bytes() throws Exception {
    assertEncodes("live", "02 00 04 6C 69 76 65");
    assertEncodes("", "02 00 00");
    assertEncodes(new StringBuilder("é"), "02 00 02 C3 A9");
    assertThat(decodeFully("02 00 04 6C 69 76 65")).isEqualTo("live");
    assertThat(decodeFully("02 00 02 C3 A9")).isEqualTo("é");
  }

  @Test
  void nullAndUndefinedAndUnsupportedDecodeToNull() throws Exception {
    assertEncodes(null, "05");
    assertThat(decodeFully("05")).isNull();
    assertThat(decodeFully("06")).isNull();
    assertThat(decodeFully("0D")).isNull();
  }

  @Test
  void objectKeepsPropertyOrderAndEndsWithEmptyNameAndEndMarker() throws Exception {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("b", 1.0);
    object.put("a", "x");
    String hex = "03 0001 62 00 3FF0000000000000 0001 61 02 0001 78 0000 09";
    assertEncodes(object, hex);
    Object decoded = decodeFully(hex);
    assertThat(decoded).isInstanceOf(LinkedHashMap.class).isEqualTo(object);
    assertThat(keys(decoded)).containsExactly("b", "a");
    assertEncodes(Map.of(), "03 0000 09");
  }

  @Test
  void typedObjectDecodesAsMapWithoutClassName() throws Exception {
    Object decoded = decodeFully("10 0003 466F6F 0001 78 00 3FF0000000000000 0000 09");
    assertThat(decoded).isEqualTo(Map.of("x", 1.0));
  }

  @Test
  void emptyPropertyNameBeforeAnotherMarkerIsAPropertyNamedEmpty() throws Exception {
    String hex = "03 0000 02 0001 76 0000 09";
    assertThat(decodeFully(hex)).isEqualTo(Map.of("", "v"));
    assertEncodes(Map.of("", "v"), hex);
  }

  @Test
  void objectEndMarkerOutsideAnObjectIsRejected() {
    assertThatThrownBy(() -> Amf0.decode(buf("09")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF0: object-end marker outside an object");
    assertThatThrownBy(() -> Amf0.decode(buf("0A 00000001 09")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF0: object-end marker outside an object");
    assertThatThrownBy(() -> Amf0.decode(buf("03 0001 61 09")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF0: object-end marker outside an object");
  }

  @Test
  void objectWithoutEndMarkerIsRejected() {
    assertThatThrownBy(() -> Amf0.decode(buf("03 0001 61 05")))
        .isInstanceOf(ProtocolException.class)
        .hasMessageStartingWith("AMF0: truncated property name length");
    assertThatThrownBy(() -> Amf0.decode(buf("03 0001 61 05 0000")))
        .isInstanceOf(ProtocolException.class)
        .hasMessageStartingWith("AMF0: truncated type marker");
  }

  @Test
  void ffmpegConnectCommandEncodesToExactBytes() {
    ByteBuf out = Amf0.encodeAll("connect", 1, connectObject());
    assertThat(hex(out)).isEqualTo(normalize(CONNECT_HEX));
  }

  @Test
  void ffmpegConnectCommandDecodesToNameTransactionAndObject() throws Exception {
    ByteBuf in = buf(CONNECT_HEX);
    List<Object> values = Amf0.decodeAll(in);
    assertThat(values).containsExactly("connect", 1.0, connectObject());
    assertThat(keys(values.get(2))).containsExactly("app", "type", "flashVer", "tcUrl");
    assertThat(in.isReadable()).isFalse();
  }

  @Test
  void onMetaDataEcmaArrayRoundTripsAsEcmaArray() throws Exception {
    assertThat(hex(Amf0.encodeAll("onMetaData", metadata()))).isEqualTo(normalize(ON_METADATA_HEX));
    List<Object> values = Amf0.decodeAll(buf(ON_METADATA_HEX));
    assertThat(values).containsExactly("onMetaData", metadata());
    EcmaArray array = (EcmaArray) values.get(1);
    assertThat(array.entries().keySet()).containsExactly("duration", "width", "height", "encoder");
    assertThat(hex(Amf0.encodeAll(values.toArray()))).isEqualTo(normalize(ON_METADATA_HEX));
  }

  @Test
  void ecmaArrayCountIsOnlyAHint() throws Exception {
    Object decoded = decodeFully("08 00000063 0001 61 01 01 0000 09");
    assertThat(decoded).isEqualTo(new EcmaArray(Map.of("a", true)));
    assertThat(decodeFully("08 00000000 0001 61 01 01 0000 09")).isEqualTo(decoded);
  }

  @Test
  void strictArrayHasCountThenValues() throws Exception {
    String hex = "0A 00000003 00 3FF0000000000000 02 0001 61 05";
    assertEncodes(Arrays.asList(1.0, "a", null), hex);
    assertThat(decodeFully(hex)).isEqualTo(Arrays.asList(1.0, "a", null));
    assertEncodes(List.of(), "0A 00000000");
  }

  @Test
  void dateIsMillisecondsAndZeroTimeZoneAndTimeZoneIsIgnoredOnDecode() throws Exception {
    Instant instant = Instant.ofEpochMilli(1_700_000_000_000L);
    assertEncodes(instant, "0B 4278BCFE56800000 0000");
    assertThat(decodeFully("0B 4278BCFE56800000 0000")).isEqualTo(instant);
    assertThat(decodeFully("0B 4278BCFE56800000 FF88")).isEqualTo(instant);
  }

  @Test
  void dateOutsideEcmaScriptRangeIsRejected() {
    assertThatThrownBy(() -> Amf0.decode(buf("0B 7E37E43C8800759C 0000")))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("outside the ECMAScript range");
    assertThatThrownBy(() -> Amf0.decode(buf("0B 7FF8000000000000 0000")))
        .isInstanceOf(ProtocolException.class);
  }

  @Test
  void stringOf65535BytesIsShortAnd65536BytesIsLong() throws Exception {
    String max = "a".repeat(65535);
    ByteBuf shortOut = Amf0.encodeAll(max);
    assertThat(shortOut.readableBytes()).isEqualTo(3 + 65535);
    assertThat(hex(shortOut.slice(0, 4))).isEqualTo("02 ff ff 61");
    assertThat(Amf0.decode(shortOut)).isEqualTo(max);

    String over = "a".repeat(65536);
    ByteBuf longOut = Amf0.encodeAll(over);
    assertThat(longOut.readableBytes()).isEqualTo(5 + 65536);
    assertThat(hex(longOut.slice(0, 6))).isEqualTo("0c 00 01 00 00 61");
    assertThat(Amf0.decode(longOut)).isEqualTo(over);
  }

  @Test
  void longStringLimitCountsUtf8BytesNotChars() {
    String twoByteChars = "é".repeat(32768); // 32768 chars, 65536 UTF-8 bytes
    ByteBuf out = Amf0.encodeAll(twoByteChars);
    assertThat(out.getUnsignedByte(0)).isEqualTo((short) 0x0C);
    assertThat(out.getInt(1)).isEqualTo(65536);
  }

  @Test
  void shortLongStringAndXmlDocumentDecodeToString() throws Exception {
    assertThat(decodeFully("0C 00000002 6869")).isEqualTo("hi");
    assertThat(decodeFully("0F 00000004 3C612F3E")).isEqualTo("<a/>");
  }

  @Test
  void referenceResolvesToEarlierObjectInSameCall() throws Exception {
    // [ {a: 1}, ref 1 ] : index 0 is the strict array itself, index 1 the object.
    Object decoded = decodeFully("0A 00000002 03 0001 61 00 3FF0000000000000 0000 09 07 0001");
    List<?> list = (List<?>) decoded;
    assertThat(list).hasSize(2);
    assertThat(list.get(1)).isSameAs(list.get(0)).isEqualTo(Map.of("a", 1.0));
  }

  @Test
  void referenceSpansTheValuesOfOneDecodeAllCall() throws Exception {
    List<Object> values = Amf0.decodeAll(buf("03 0001 61 01 01 0000 09 07 0000"));
    assertThat(values).hasSize(2);
    assertThat(values.get(1)).isSameAs(values.get(0));
  }

  @Test
  void referenceToUnknownObjectIsRejected() {
    assertThatThrownBy(() -> Amf0.decode(buf("07 0000")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF0: reference 0 but only 0 objects decoded so far");
  }

  @Test
  void referenceToObjectStillBeingDecodedIsRejected() {
    assertThatThrownBy(() -> Amf0.decode(buf("03 0004 73656C66 07 0000 0000 09")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF0: reference to an object that is still being decoded");
  }

  @Test
  void avmplusMarkerSwitchesToAmf3ForTheNextValue() throws Exception {
    // 0x11, then AMF3 integer 5; then AMF3 string "hi"; then back to AMF0 for the next value.
    List<Object> values = Amf0.decodeAll(buf("11 04 05 11 06 05 6869 00 3FF0000000000000"));
    assertThat(values).containsExactly(5.0, "hi", 1.0);
  }

  @Test
  void avmplusValueInsideAnAmf0Object() throws Exception {
    // {x: AMF3 dynamic anonymous object {y: true}}
    Object decoded = decodeFully("03 0001 78 11 0A 0B 01 03 79 03 01 0000 09");
    assertThat(decoded).isEqualTo(Map.of("x", Map.of("y", true)));
  }

  @Test
  void unknownAndReservedMarkersAreRejected() {
    assertThatThrownBy(() -> Amf0.decode(buf("1F")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF0: unknown type marker 0x1f");
    assertThatThrownBy(() -> Amf0.decode(buf("04")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF0: reserved type marker 0x04 not supported");
    assertThatThrownBy(() -> Amf0.decode(buf("0E")))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("AMF0: reserved type marker 0x0e not supported");
  }

  @Test
  void failedDecodeLeavesReaderIndexUnchanged() {
    ByteBuf in = buf("02 0005 6869");
    assertThatThrownBy(() -> Amf0.decode(in)).isInstanceOf(ProtocolException.class);
    assertThat(in.readerIndex()).isZero();
  }

  @Test
  void decodeAllOfEmptyBufferIsEmptyAndDecodeIsAnError() throws Exception {
    assertThat(Amf0.decodeAll(Unpooled.EMPTY_BUFFER)).isEmpty();
    assertThatThrownBy(() -> Amf0.decode(Unpooled.EMPTY_BUFFER))
        .isInstanceOf(ProtocolException.class)
        .hasMessageStartingWith("AMF0: truncated type marker");
  }

  @Test
  void unsupportedTypesAndBadKeysAreRejectedOnEncode() {
    assertThatThrownBy(() -> Amf0.encode(Unpooled.buffer(), new byte[1]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Amf0.encode(Unpooled.buffer(), new Object()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Amf0.encode(Unpooled.buffer(), Map.of(1, "x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Amf0.encode(Unpooled.buffer(), Map.of("k".repeat(65536), "x")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cyclicValueIsRejectedOnEncodeInsteadOfOverflowingTheStack() {
    List<Object> cycle = new ArrayList<>();
    cycle.add(cycle);
    assertThatThrownBy(() -> Amf0.encode(Unpooled.buffer(), cycle))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("AMF0: nesting deeper than 32");
  }
}
