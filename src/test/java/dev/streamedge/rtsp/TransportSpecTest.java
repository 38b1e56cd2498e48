package dev.streamedge.rtsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Transport headers (RFC 2326 §12.39) as ffmpeg, GStreamer and live555 send them, and broken ones. */
@Tag("unit")
class TransportSpecTest {

  static Stream<Arguments> offers() {
    return Stream.of(
        Arguments.of("RTP/AVP/TCP;unicast;interleaved=0-1",
            new TransportSpec("RTP/AVP", true, true, 0, 1, -1, -1, "play")),
        Arguments.of("RTP/AVP/TCP;unicast;interleaved=2-3;mode=\"PLAY\"",
            new TransportSpec("RTP/AVP", true, true, 2, 3, -1, -1, "play")),
        Arguments.of("RTP/AVP/TCP;interleaved=4", new TransportSpec("RTP/AVP", true, true, 4, 5, -1, -1, "play")),
        Arguments.of("RTP/AVP;unicast;client_port=5000-5001",
            new TransportSpec("RTP/AVP", false, true, -1, -1, 5000, 5001, "play")),
        Arguments.of("RTP/AVP/UDP;unicast;client_port=6970",
            new TransportSpec("RTP/AVP", false, true, -1, -1, 6970, 6971, "play")),
        Arguments.of("RTP/AVP;multicast;ttl=127;mode=record",
            new TransportSpec("RTP/AVP", false, false, -1, -1, -1, -1, "record")),
        Arguments.of("RTP/AVP", new TransportSpec("RTP/AVP", false, false, -1, -1, -1, -1, "play")),
        Arguments.of(" rtp/avp/tcp ; UNICAST ; Interleaved = 0-1 ; ssrc=1234ABCD ; Mode=Play ",
            new TransportSpec("rtp/avp", true, true, 0, 1, -1, -1, "play")),
        Arguments.of("RTP/SAVP/TCP;unicast;interleaved=0-1",
            new TransportSpec("RTP/SAVP", true, true, 0, 1, -1, -1, "play")),
        Arguments.of("RAW/RAW/UDP;unicast;client_port=9000-9001",
            new TransportSpec("RAW/RAW", false, true, -1, -1, 9000, 9001, "play")),
        Arguments.of("RTP/AVP/SCTP;unicast", new TransportSpec("RTP/AVP/SCTP", false, true, -1, -1, -1, -1, "play")),
        Arguments.of("RTP/AVP/TCP;unicast;interleaved=255-254;client_port=65535-1",
            new TransportSpec("RTP/AVP", true, true, 255, 254, 65535, 1, "play")));
  }

  @ParameterizedTest
  @MethodSource("offers")
  void oneSpecReads(String header, TransportSpec expected) throws RtspFormatException {
    assertThat(TransportSpec.parseAll(header)).containsExactly(expected);
  }

  @Test
  void severalSpecsInTheClientsOrder() throws RtspFormatException {
    List<TransportSpec> specs = TransportSpec.parseAll(
        "RTP/AVP;unicast;client_port=5000-5001,RTP/AVP/TCP;unicast;interleaved=0-1;mode=\"PLAY,RECORD\"");
    assertThat(specs).hasSize(2);
    assertThat(specs.get(0).tcp()).isFalse();
    assertThat(specs.get(1).rtpOverTcp()).isTrue();
    assertThat(specs.get(1).mode()).isEqualTo("play,record");
    assertThat(TransportSpec.parseAll(String.join(",", java.util.Collections.nCopies(8, "RTP/AVP/TCP")))).hasSize(8);
  }

  static Stream<Arguments> broken() {
    return Stream.of(
        Arguments.of("", "no Transport"),
        Arguments.of("   ", "no Transport"),
        Arguments.of(String.join(",", java.util.Collections.nCopies(9, "RTP/AVP/TCP")), "more than 8"),
        Arguments.of(";unicast", "without a protocol"),
        Arguments.of("RTP/AVP/TCP,", "without a protocol"),
        // Found by RtspCoverageFuzzTest: a lower transport alone read as an empty profile.
        Arguments.of("/TCP", "without a protocol"),
        Arguments.of("/udp;unicast", "without a protocol"),
        Arguments.of("RTP/AVP/TCP;interleaved=256", "interleaved"),
        Arguments.of("RTP/AVP/TCP;interleaved=255", "leaves no room"),
        Arguments.of("RTP/AVP/TCP;interleaved=-1", "interleaved"),
        Arguments.of("RTP/AVP/TCP;interleaved=a-b", "interleaved"),
        Arguments.of("RTP/AVP/TCP;interleaved=0-", "interleaved"),
        Arguments.of("RTP/AVP/TCP;interleaved=0-1-2", "interleaved"),
        Arguments.of("RTP/AVP/TCP;interleaved=", "interleaved"),
        Arguments.of("RTP/AVP/TCP;interleaved", "without a value"),
        Arguments.of("RTP/AVP/TCP;interleaved=99999999999", "interleaved"),
        Arguments.of("RTP/AVP;client_port=0-1", "client_port"),
        Arguments.of("RTP/AVP;client_port=65536", "client_port"),
        Arguments.of("RTP/AVP;client_port=65535", "leaves no room"),
        Arguments.of("RTP/AVP;mode", "mode without a value"));
  }

  @ParameterizedTest
  @MethodSource("broken")
  void brokenSpecsAreRefused(String header, String message) {
    assertThatThrownBy(() -> TransportSpec.parseAll(header)).isInstanceOf(RtspFormatException.class)
        .hasMessageContaining(message);
  }

  @Test
  void theServersAnswer() throws RtspFormatException {
    TransportSpec spec = TransportSpec.parseAll("RTP/AVP/TCP;unicast;interleaved=2-3").get(0);
    assertThat(spec.answer(0x1234ABCDL)).isEqualTo("RTP/AVP/TCP;unicast;interleaved=2-3;ssrc=1234ABCD");
    assertThat(spec.answer(0xAL)).isEqualTo("RTP/AVP/TCP;unicast;interleaved=2-3;ssrc=0000000A");
    assertThat(spec.answer(-1L)).isEqualTo("RTP/AVP/TCP;unicast;interleaved=2-3;ssrc=FFFFFFFF");
    TransportSpec none = TransportSpec.parseAll("RTP/AVP/TCP;unicast").get(0);
    assertThatThrownBy(() -> none.answer(1)).isInstanceOf(IllegalStateException.class);
    assertThat(none.withInterleaved(4, 5).answer(0xDEADBEEFL))
        .isEqualTo("RTP/AVP/TCP;unicast;interleaved=4-5;ssrc=DEADBEEF");
  }
}
