package dev.streamedge.srt;

import static dev.streamedge.srt.SrtBytes.buf;
import static dev.streamedge.srt.SrtBytes.encode;
import static dev.streamedge.srt.SrtBytes.normalize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.srt.HandshakeExtension.HsReq;
import dev.streamedge.srt.HandshakeExtension.HsRsp;
import dev.streamedge.srt.HandshakeExtension.StreamId;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Handshakes byte for byte, built by hand from §3.2.1 and libsrt 1.5's core.cpp (startConnect,
 * processConnectRequest, createSrtHandshake): a caller's induction and conclusion, our answers.
 */
@Tag("unit")
class SrtHandshakeGoldenTest {

  private static final int CALLER_SOCKET = 0x2A3B4C5D;
  private static final int ISN = 0x1234_5678;

  /** libsrt 1.5 caller to 127.0.0.1: induction request. */
  private static final String INDUCTION_REQUEST = """
      80000000  00000000  0000012c  00000000
      00000004
      0000 0002
      12345678
      000005dc
      00002000
      00000001
      2a3b4c5d
      00000000
      0100007f 00000000 00000000 00000000
      """;
  // header: F=1 type 0 (handshake) subtype 0 | type-specific 0 | timestamp 300 us | dst socket 0
  // version 4 (libsrt callers always start with 4)
  // encryption field 0, extension field 2 (UDT_DGRAM)
  // initial sequence number
  // MTU 1500
  // flow window 8192
  // type 1: INDUCTION
  // caller's socket id
  // cookie 0
  // peer (the listener) 127.0.0.1: each 32-bit word byte-reversed by libsrt

  @Test
  void decodesLibsrtInductionRequest() throws Exception {
    SrtPacket packet = SrtPacket.decode(buf(INDUCTION_REQUEST));

    assertThat(packet).isEqualTo(new Handshake(300, 0, 4, 0, 2, ISN, 1500, 8192,
        Handshake.TYPE_INDUCTION, CALLER_SOCKET, 0,
        Handshake.peerAddressOf(new byte[] {127, 0, 0, 1}), List.of()));
    assertThat(Handshake.addressOf(((Handshake) packet).peerAddress()))
        .containsExactly(127, 0, 0, 1);
  }

  @Test
  void encodesInductionResponse() throws Exception {
    Handshake request = (Handshake) SrtPacket.decode(buf(INDUCTION_REQUEST));

    Handshake response = ListenerHandshakes.inductionResponse(request, 0x0BADC0DE, 500);

    assertThat(encode(response)).isEqualTo(normalize("""
        80000000 00000000 000001f4 2a3b4c5d
        00000005
        0000 4a17
        12345678 000005dc 00002000
        00000001
        2a3b4c5d
        0badc0de
        0100007f 00000000 00000000 00000000
        """));
    // header to the caller's socket; version 5; encryption 0, extension the magic 0x4A17;
    // ISN, MTU, window echoed; INDUCTION; socket id echoed as libsrt does; our cookie; address echoed
  }

  /** The conclusion request of ffmpeg -f mpegts srt://127.0.0.1:...?streamid=publish:live/test. */
  private static final String CONCLUSION_REQUEST = """
      80000000 00000000 00001388 00000000
      00000005
      0000 0005
      12345678 000005dc 00002000
      ffffffff
      2a3b4c5d
      0badc0de
      0100007f 00000000 00000000 00000000
      0001 0003
      00010503
      000000bf
      0078 0078
      0005 0005
      6c627570 3a687369 6576696c 7365742f 00000074
      """;
  // dst socket 0 again (libsrt sends the conclusion to the listener's demultiplexer)
  // version 5; encryption 0, extension flags HSREQ|CONFIG = 5
  // ISN, MTU, window; type CONCLUSION; caller socket; the cookie from the induction response
  // HSREQ, 3 words: SRT 1.5.3; flags TSBPDSND|TSBPDRCV|CRYPT|TLPKTDROP|PERIODICNAK|REXMITFLG
  //   |PACKET_FILTER = 0xbf; receiver delay 120 ms (upper half), sender delay 120 ms (lower half)
  // SID, 5 words: "publ" "ish:" "live" "/tes" "t" each word byte-reversed: "lbup" ":hsi" "evil"
  //   "set/" "\0\0\0t"

  @Test
  void decodesConclusionWithHsReqAndReversedStreamId() throws Exception {
    Handshake hs = (Handshake) SrtPacket.decode(buf(CONCLUSION_REQUEST));

    assertThat(hs.type()).isEqualTo(Handshake.TYPE_CONCLUSION);
    assertThat(hs.extensionField()).isEqualTo(Handshake.EXT_HSREQ | Handshake.EXT_CONFIG);
    assertThat(hs.synCookie()).isEqualTo(0x0BADC0DE);
    assertThat(hs.extensions()).containsExactly(
        new HsReq(0x010503, 0xBF, 120, 120), new StreamId("publish:live/test"));
    assertThat(encode(hs)).isEqualTo(normalize(CONCLUSION_REQUEST));
  }

  @Test
  void streamIdWordsAreByteReversedBothWays() throws Exception {
    Handshake hs = handshakeWith(List.of(new StreamId("#!::r=live/x,m=publish")));

    String wire = encode(hs);

    // "#!::" is "::!#" on the wire; 22 bytes pad to 6 words; "sh" ends as "\0\0hs".
    assertThat(wire.substring(wire.length() - 28 * 2)).isEqualTo(normalize("""
        0005 0006
        3a3a2123 696c3d72 782f6576 703d6d2c 696c6275 00006873
        """));
    assertThat(SrtPacket.decode(buf(wire))).isEqualTo(hs);
  }

  @Test
  void encodesConclusionResponseWithHsRsp() throws Exception {
    Handshake request = (Handshake) SrtPacket.decode(buf(CONCLUSION_REQUEST));
    HsRsp hsRsp = ListenerHandshakes.hsRsp(request.extension(HsReq.class).orElseThrow(), 0x010503,
        200);

    Handshake response = ListenerHandshakes.conclusionResponse(request, 0x11223344, 1500, 8192,
        Handshake.peerAddressOf(new byte[] {10, 1, 2, 3}), hsRsp, 6000);

    assertThat(encode(response)).isEqualTo(normalize("""
        80000000 00000000 00001770 2a3b4c5d
        00000005
        0000 0001
        12345678 000005dc 00002000
        ffffffff
        11223344
        0badc0de
        0302010a 00000000 00000000 00000000
        0002 0003
        00010503
        0000003b
        00c8 00c8
        """));
    // to the caller's socket; version 5; extension flags HSREQ; caller's ISN; MTU 1500; window;
    // CONCLUSION; our socket id; cookie echoed; the caller 10.1.2.3 word-reversed;
    // HSRSP: 1.5.3; TSBPDSND|TSBPDRCV|TLPKTDROP|PERIODICNAK|REXMITFLG = 0x3b;
    // receiver delay max(200, caller's sender 120) = 200, sender delay max(200, the caller's receiver 120) = 200
  }

  @Test
  void rejectionCarriesTheCodeAsType() throws Exception {
    Handshake request = (Handshake) SrtPacket.decode(buf(CONCLUSION_REQUEST));

    Handshake reject = ListenerHandshakes.rejection(request, Handshake.REJECT_FORBIDDEN, 7);

    assertThat(Handshake.REJECT_FORBIDDEN).isEqualTo(Handshake.rejection(1403));
    assertThat(encode(reject)).startsWith(normalize("80000000 00000000 00000007 2a3b4c5d"));
    assertThat(encode(reject).substring(32 + 40, 32 + 48)).isEqualTo("00000963");
    assertThat(encode(reject)).hasSize(64 * 2);
  }

  @Test
  void hsReqWithoutDelayWordAndUnknownExtensionsDecode() throws Exception {
    String wire = encode(handshakeWith(List.of())) + normalize("""
        0001 0002 00010203 00000003
        0063 0001 deadbeef
        """);

    Handshake hs = (Handshake) SrtPacket.decode(buf(wire));

    assertThat(hs.extensions()).containsExactly(new HsReq(0x010203, 3, 0, 0),
        new HandshakeExtension.Raw(0x63, Bytes.of((byte) 0xde, (byte) 0xad, (byte) 0xbe,
            (byte) 0xef)));
  }

  @Test
  void malformedHandshakesAreFormatErrors() {
    String base = encode(handshakeWith(List.of()));
    for (String tail : List.of("0005 0002 61626364", "0005 0000", "0005 0080" + "ff".repeat(512), "0005 0081"
        + "61".repeat(0x81 * 4), "0001 0001 00000001", "0005 0001 00000000")) {
      assertThatThrownBy(() -> SrtPacket.decode(buf(base + normalize(tail))))
          .as(tail.length() > 40 ? tail.substring(0, 40) : tail)
          .isInstanceOf(SrtFormatException.class);
    }
    assertThatThrownBy(() -> SrtPacket.decode(buf(base.substring(0, base.length() - 2))))
        .isInstanceOf(SrtFormatException.class);
  }

  private static Handshake handshakeWith(List<HandshakeExtension> extensions) {
    return new Handshake(1, 2, 5, 0, 5, ISN, 1500, 8192, Handshake.TYPE_CONCLUSION, CALLER_SOCKET,
        3, Handshake.peerAddressOf(new byte[16]), extensions);
  }
}
