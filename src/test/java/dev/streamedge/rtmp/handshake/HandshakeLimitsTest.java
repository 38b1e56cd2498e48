package dev.streamedge.rtmp.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.rtmp.ProtocolException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("unit")
class HandshakeLimitsTest {

  @ParameterizedTest(name = "version {0} → {1}")
  @CsvSource(delimiter = '|', value = {
      "6 | RTMP version 6 (RTMPE) not accepted here",
      "8 | RTMP version 8 (RTMPE with XTEA signatures) not supported, only RTMPE type 6",
      "9 | RTMP version 9 (RTMPE with Blowfish signatures) not supported, only RTMPE type 6",
      "0 | RTMP version 0 not supported (only 3)",
      "255 | RTMP version 255 not supported (only 3)",
      "71 | RTMP version 71 not supported: looks like a text protocol such as HTTP",
  })
  void serverRejectsAnyVersionByteButThree(int version, String message) {
    byte[] c0c1 = ClientHandshake.hello(true, new Random(1));
    c0c1[0] = (byte) version;
    assertThatThrownBy(() -> ServerHandshake.respond(c0c1, new Random(2)))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 1536, 1538, 3073})
  void serverRejectsC0c1OfAnyLengthBut1537(int length) {
    byte[] c0c1 = Arrays.copyOf(ClientHandshake.hello(false, new Random(1)), length);
    assertThatThrownBy(() -> ServerHandshake.respond(c0c1, new Random(2)))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("C0+C1 must be 1537 bytes, got " + length);
  }

  @Test
  void serverRejectsMissingC0c1() {
    assertThatThrownBy(() -> ServerHandshake.respond(null, new Random(2)))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("C0+C1 missing");
  }

  @Test
  void c1WithAVersionButABadDigestGetsThePlainEcho() throws ProtocolException {
    byte[] c0c1 = ReferenceDigest.digestC0c1(new Random(3), ReferenceDigest.SCHEMA_0_OFFSET_BYTES,
        0x09007C02);
    byte[] c1 = Arrays.copyOfRange(c0c1, 1, 1537);
    int position = ReferenceDigest.digestPosition(c1, ReferenceDigest.SCHEMA_0_OFFSET_BYTES);
    c0c1[1 + position + 31] ^= 0x01;
    byte[] badC1 = Arrays.copyOfRange(c0c1, 1, 1537);

    byte[] out = ServerHandshake.respond(c0c1, new Random(4));

    assertThat(ServerHandshake.hasClientDigest(badC1)).isFalse();
    assertThat(Arrays.copyOfRange(out, 1, 9)).containsOnly(0);
    assertThat(Arrays.copyOfRange(out, 1537, 3073)).isEqualTo(badC1);
  }

  @Test
  void c1WithAValidDigestButZeroVersionIsTreatedAsPlain() throws ProtocolException {
    byte[] c1 = new byte[1536];
    new Random(5).nextBytes(c1);
    Arrays.fill(c1, 4, 8, (byte) 0);
    ReferenceDigest.placeDigest(c1,
        ReferenceDigest.digestPosition(c1, ReferenceDigest.SCHEMA_0_OFFSET_BYTES));

    byte[] out = ServerHandshake.respond(ReferenceDigest.withC0(c1), new Random(6));

    assertThat(ServerHandshake.hasClientDigest(c1)).isFalse();
    assertThat(Arrays.copyOfRange(out, 1537, 3073)).isEqualTo(c1);
  }

  @Test
  void hasClientDigestIsFalseForNullAndWrongLengths() {
    byte[] c1 = Arrays.copyOfRange(ClientHandshake.hello(true, new Random(7)), 1, 1537);
    assertThat(ServerHandshake.hasClientDigest(c1)).isTrue();
    assertThat(ServerHandshake.hasClientDigest(null)).isFalse();
    assertThat(ServerHandshake.hasClientDigest(new byte[0])).isFalse();
    assertThat(ServerHandshake.hasClientDigest(Arrays.copyOf(c1, 1535))).isFalse();
    assertThat(ServerHandshake.hasClientDigest(Arrays.copyOf(c1, 1537))).isFalse();
  }

  @Test
  void clientRejectsAServerAnsweringWithAnotherVersion() throws ProtocolException {
    byte[] c0c1 = ClientHandshake.hello(false, new Random(1));
    byte[] s0s1s2 = ServerHandshake.respond(c0c1, new Random(2));
    s0s1s2[0] = 6;
    assertThatThrownBy(() -> ClientHandshake.acknowledge(c0c1, s0s1s2))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("server answered with RTMP version 6 (RTMPE) not accepted here");
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1537, 3072, 3074})
  void clientRejectsS0s1s2OfAnyLengthBut3073(int length) {
    byte[] c0c1 = ClientHandshake.hello(false, new Random(1));
    assertThatThrownBy(() -> ClientHandshake.acknowledge(c0c1, new byte[length]))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("S0+S1+S2 must be 3073 bytes, got " + length);
  }

  @Test
  void clientRejectsMalformedOwnC0c1AndMissingAnswer() {
    byte[] c0c1 = ClientHandshake.hello(false, new Random(1));
    assertThatThrownBy(() -> ClientHandshake.acknowledge(Arrays.copyOf(c0c1, 10), new byte[3073]))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("our C0+C1 must be 1537 bytes, got 10");
    assertThatThrownBy(() -> ClientHandshake.acknowledge(c0c1, null))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("S0+S1+S2 missing");
  }

  @Test
  void digestClientRejectsS1ThatClaimsADigestButHasNone() throws ProtocolException {
    byte[] c0c1 = ClientHandshake.hello(true, new Random(1));
    byte[] s0s1s2 = ServerHandshake.respond(c0c1, new Random(2));
    byte[] s1 = Arrays.copyOfRange(s0s1s2, 1, 1537);
    int position = ReferenceDigest.digestPosition(s1, ReferenceDigest.SCHEMA_0_OFFSET_BYTES);
    s0s1s2[1 + position] ^= (byte) 0x80;
    assertThatThrownBy(() -> ClientHandshake.acknowledge(c0c1, s0s1s2))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("S1 claims the digest handshake but carries no valid server digest");
  }

  @Test
  void digestClientRejectsS2NotSignedForItsDigest() throws ProtocolException {
    byte[] c0c1 = ClientHandshake.hello(true, new Random(1));
    byte[] s0s1s2 = ServerHandshake.respond(c0c1, new Random(2));
    s0s1s2[1537 + 100] ^= 0x01;
    assertThatThrownBy(() -> ClientHandshake.acknowledge(c0c1, s0s1s2))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("S2 is not signed for our C1 digest");
  }

  @Test
  void digestClientAcceptsAPlainServerAndEchoesS1() throws ProtocolException {
    byte[] c0c1 = ClientHandshake.hello(true, new Random(1));
    byte[] s1 = new byte[1536];
    new Random(2).nextBytes(s1);
    Arrays.fill(s1, 0, 8, (byte) 0);
    byte[] s0s1s2 = new byte[3073];
    s0s1s2[0] = 3;
    System.arraycopy(s1, 0, s0s1s2, 1, 1536);
    System.arraycopy(c0c1, 1, s0s1s2, 1537, 1536);

    assertThat(ClientHandshake.acknowledge(c0c1, s0s1s2)).isEqualTo(s1);
  }

  @Test
  void plainClientIgnoresDigestsInTheAnswerAndEchoesS1() throws ProtocolException {
    byte[] c0c1 = ClientHandshake.hello(false, new Random(1));
    byte[] s0s1s2 = ServerHandshake.respond(ClientHandshake.hello(true, new Random(3)),
        new Random(2));
    assertThat(ClientHandshake.acknowledge(c0c1, s0s1s2))
        .isEqualTo(Arrays.copyOfRange(s0s1s2, 1, 1537));
  }
}
