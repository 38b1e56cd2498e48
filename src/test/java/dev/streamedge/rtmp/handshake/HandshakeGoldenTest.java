package dev.streamedge.rtmp.handshake;

import static dev.streamedge.rtmp.handshake.ReferenceDigest.SCHEMA_0_OFFSET_BYTES;
import static dev.streamedge.rtmp.handshake.ReferenceDigest.SCHEMA_1_OFFSET_BYTES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.rtmp.ProtocolException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("unit")
class HandshakeGoldenTest {
  private static final int FFMPEG_VERSION = 0x09007C02;

  @Test
  void sizesAreThoseOfRtmp1Section52() {
    assertThat(Handshake.VERSION).isEqualTo(3);
    assertThat(Handshake.PACKET_SIZE).isEqualTo(1536);
    assertThat(Handshake.C0C1_SIZE).isEqualTo(1537);
    assertThat(Handshake.S0S1S2_SIZE).isEqualTo(3073);
  }

  @Test
  void referenceKeysAreTheGenuineAdobeKeys() {
    assertThat(ReferenceDigest.PLAYER_KEY).hasSize(62)
        .startsWith(ReferenceDigest.ascii("Genuine Adobe Flash Player 001"));
    assertThat(ReferenceDigest.SERVER_KEY).hasSize(68)
        .startsWith(ReferenceDigest.ascii("Genuine Adobe Flash Media Server 001"));
    assertThat(Arrays.copyOfRange(ReferenceDigest.PLAYER_KEY, 30, 62))
        .isEqualTo(Arrays.copyOfRange(ReferenceDigest.SERVER_KEY, 36, 68));
  }

  @Test
  void referenceHmacMatchesRfc4231TestCase2() {
    byte[] mac = ReferenceDigest.hmac(ReferenceDigest.ascii("Jefe"),
        ReferenceDigest.ascii("what do ya want for nothing?"), 0, 28);
    assertThat(HexFormat.of().formatHex(mac))
        .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  @Test
  void plainC1GetsVersion3AnEchoInS2AndAZeroTimeAndZeroFieldS1() throws ProtocolException {
    byte[] c1 = new byte[1536];
    new Random(7).nextBytes(c1);
    Arrays.fill(c1, 4, 8, (byte) 0); // §5.2.3 zero field: plain handshake
    byte[] c0c1 = ReferenceDigest.withC0(c1);

    byte[] out = ServerHandshake.respond(c0c1, new Random(42));

    assertThat(out).hasSize(3073);
    assertThat(out[0]).isEqualTo((byte) 3);
    byte[] s1 = Arrays.copyOfRange(out, 1, 1537);
    byte[] s2 = Arrays.copyOfRange(out, 1537, 3073);
    assertThat(Arrays.copyOfRange(s1, 0, 8)).containsOnly(0);
    byte[] expectedRandom = new byte[1528];
    new Random(42).nextBytes(expectedRandom);
    assertThat(Arrays.copyOfRange(s1, 8, 1536)).isEqualTo(expectedRandom);
    assertThat(s2).isEqualTo(c1);
    assertThat(ServerHandshake.hasClientDigest(c1)).isFalse();
  }

  @Test
  void fixedSeedsGiveTheSameBytesAsWhenThisTestWasWritten() throws ProtocolException {
    // Pins the wire bytes for fixed seeds; a change here means the output format changed.
    byte[] plain = ClientHandshake.hello(false, new Random(1));
    byte[] digest = ClientHandshake.hello(true, new Random(2));
    byte[] plainAnswer = ServerHandshake.respond(plain, new Random(3));
    byte[] digestAnswer = ServerHandshake.respond(digest, new Random(4));

    assertThat(sha256(plain))
        .isEqualTo("6e34c5a1002ba77bd536659c76a8da615b196735ef901ebe40909883ee83df2d");
    assertThat(sha256(digest))
        .isEqualTo("c1949c8ceac81d6c92387be92b345b81e0a266fe24884a955c0d077768cdf397");
    assertThat(sha256(plainAnswer))
        .isEqualTo("1b98546e6c7ab332fd4005c201e7e31427805fde14ee05fd7ef529ca8ac6794e");
    assertThat(sha256(digestAnswer))
        .isEqualTo("9dad202eb4540606de9aa2117e859c776c753225dcd4e6002defc2fced3030ef");
  }

  @ParameterizedTest(name = "offset bytes at {0}, client version {1}")
  @CsvSource({"8, 0x09007C02", "772, 0x09007C02", "8, 0x80000702", "772, 0x80000702"})
  void digestC1GetsS1DigestInTheClientSchemaAndS2SignedForTheClientDigest(
      int offsetBytes, String version) throws ProtocolException {
    int clientVersion = Integer.parseUnsignedInt(version.substring(2), 16);
    byte[] c0c1 = ReferenceDigest.digestC0c1(new Random(11), offsetBytes, clientVersion);
    byte[] c1 = Arrays.copyOfRange(c0c1, 1, 1537);
    int clientPos = ReferenceDigest.digestPosition(c1, offsetBytes);
    byte[] clientDigest = Arrays.copyOfRange(c1, clientPos, clientPos + 32);

    byte[] out = ServerHandshake.respond(c0c1, new Random(42));

    assertThat(out[0]).isEqualTo((byte) 3);
    byte[] s1 = Arrays.copyOfRange(out, 1, 1537);
    byte[] s2 = Arrays.copyOfRange(out, 1537, 3073);
    assertThat(Arrays.copyOfRange(s1, 0, 4)).containsOnly(0);
    assertThat(Arrays.copyOfRange(s1, 4, 8)).containsExactly(0x04, 0x05, 0x00, 0x01);
    int otherSchema = offsetBytes == SCHEMA_0_OFFSET_BYTES ? SCHEMA_1_OFFSET_BYTES
        : SCHEMA_0_OFFSET_BYTES;
    assertThat(ReferenceDigest.hasDigest(s1, offsetBytes, ReferenceDigest.serverOpenKey()))
        .isTrue();
    assertThat(ReferenceDigest.hasDigest(s1, otherSchema, ReferenceDigest.serverOpenKey()))
        .isFalse();
    assertThat(Arrays.copyOfRange(s2, 1504, 1536))
        .isEqualTo(ReferenceDigest.signature(s2, clientDigest, ReferenceDigest.SERVER_KEY));
    assertThat(s2).isNotEqualTo(c1);
    assertThat(ServerHandshake.hasClientDigest(c1)).isTrue();
  }

  @Test
  void ffmpegStyleValidationOfOurS1TriesSchema1ThenSchema0AndFindsTheDigest()
      throws ProtocolException {
    // libavformat rtmp_handshake, when playing: S1 byte 4 >= 3, then a server digest at schema 1
    // or schema 0, then S2 signed for its C1 digest.
    byte[] c0c1 = ReferenceDigest.digestC0c1(new Random(5), SCHEMA_0_OFFSET_BYTES, FFMPEG_VERSION);
    byte[] out = ServerHandshake.respond(c0c1, new Random(6));
    byte[] s1 = Arrays.copyOfRange(out, 1, 1537);
    assertThat(s1[4] & 0xFF).isGreaterThanOrEqualTo(3);
    assertThat(ReferenceDigest.hasDigest(s1, SCHEMA_1_OFFSET_BYTES, ReferenceDigest.serverOpenKey())
        || ReferenceDigest.hasDigest(s1, SCHEMA_0_OFFSET_BYTES, ReferenceDigest.serverOpenKey()))
        .isTrue();
  }

  @ParameterizedTest(name = "digest C1: {0}")
  @ValueSource(booleans = {false, true})
  void ourClientAndOurServerCompleteTheHandshake(boolean digest) throws ProtocolException {
    Random random = new Random(99);
    byte[] c0c1 = ClientHandshake.hello(digest, random);
    byte[] c1 = Arrays.copyOfRange(c0c1, 1, 1537);
    assertThat(c0c1[0]).isEqualTo((byte) 3);
    assertThat(ServerHandshake.hasClientDigest(c1)).isEqualTo(digest);

    byte[] s0s1s2 = ServerHandshake.respond(c0c1, random);
    byte[] c2 = ClientHandshake.acknowledge(c0c1, s0s1s2);

    byte[] s1 = Arrays.copyOfRange(s0s1s2, 1, 1537);
    assertThat(c2).hasSize(1536);
    if (digest) {
      assertThat(Arrays.copyOfRange(c1, 4, 8)).containsExactly(0x09, 0x00, 0x7C, 0x02);
      assertThat(ReferenceDigest.hasDigest(c1, SCHEMA_0_OFFSET_BYTES,
          ReferenceDigest.playerOpenKey())).isTrue();
      int serverPos = ReferenceDigest.digestPosition(s1, SCHEMA_0_OFFSET_BYTES);
      byte[] serverDigest = Arrays.copyOfRange(s1, serverPos, serverPos + 32);
      assertThat(Arrays.copyOfRange(c2, 1504, 1536))
          .isEqualTo(ReferenceDigest.signature(c2, serverDigest, ReferenceDigest.PLAYER_KEY));
    } else {
      assertThat(Arrays.copyOfRange(c1, 4, 8)).containsOnly(0);
      assertThat(c2).isEqualTo(s1);
      assertThat(Arrays.copyOfRange(s0s1s2, 1537, 3073)).isEqualTo(c1);
    }
  }

  @Test
  void ourDigestClientAcceptsAFlashStyleServerAnswerInSchema1() throws ProtocolException {
    // The server may pick schema 1 for S1 even when C1 used schema 0 (ffmpeg tries 1 first).
    byte[] c0c1 = ClientHandshake.hello(true, new Random(8));
    byte[] c1 = Arrays.copyOfRange(c0c1, 1, 1537);
    int clientPos = ReferenceDigest.digestPosition(c1, SCHEMA_0_OFFSET_BYTES);
    byte[] clientDigest = Arrays.copyOfRange(c1, clientPos, clientPos + 32);
    Random random = new Random(9);
    byte[] s1 = new byte[1536];
    random.nextBytes(s1);
    s1[4] = 3;
    int serverPos = ReferenceDigest.digestPosition(s1, SCHEMA_1_OFFSET_BYTES);
    System.arraycopy(ReferenceDigest.digestSkipping(s1, serverPos, ReferenceDigest.serverOpenKey()),
        0, s1, serverPos, 32);
    byte[] s2 = new byte[1536];
    random.nextBytes(s2);
    System.arraycopy(ReferenceDigest.signature(s2, clientDigest, ReferenceDigest.SERVER_KEY), 0,
        s2, 1504, 32);
    byte[] s0s1s2 = new byte[3073];
    s0s1s2[0] = 3;
    System.arraycopy(s1, 0, s0s1s2, 1, 1536);
    System.arraycopy(s2, 0, s0s1s2, 1537, 1536);

    byte[] c2 = ClientHandshake.acknowledge(c0c1, s0s1s2);

    byte[] serverDigest = Arrays.copyOfRange(s1, serverPos, serverPos + 32);
    assertThat(Arrays.copyOfRange(c2, 1504, 1536))
        .isEqualTo(ReferenceDigest.signature(c2, serverDigest, ReferenceDigest.PLAYER_KEY));
  }

  /**
   * Known answer for the position math: 12 + (sum of bytes 8..11 mod 728) in schema 0,
   * 776 + (sum of bytes 772..775 mod 728) in schema 1, at both ends of the range.
   */
  @ParameterizedTest(name = "offset bytes at {0} = {1},{2},{3},{4} → digest at {5}")
  @CsvSource({
      "8, 0, 0, 0, 0, 12",
      "8, 182, 182, 182, 182, 12", // sum 728 wraps to 0
      "8, 255, 255, 217, 0, 739", // sum 727: last position, digest ends at 770 < 772
      "772, 0, 0, 0, 0, 776",
      "772, 182, 182, 182, 182, 776", // sum 728 wraps to 0
      "772, 200, 200, 200, 127, 1503", // sum 727: digest ends on the last byte of C1
  })
  void digestPositionIsAtTheKnownOffsetAtTheEndsOfTheRange(int offsetBytes, int b0, int b1,
      int b2, int b3, int expectedPosition) throws ProtocolException {
    byte[] c1 = new byte[1536];
    new Random(expectedPosition).nextBytes(c1);
    c1[4] = (byte) 0x80;
    c1[5] = 0;
    c1[6] = 7;
    c1[7] = 2;
    c1[offsetBytes] = (byte) b0;
    c1[offsetBytes + 1] = (byte) b1;
    c1[offsetBytes + 2] = (byte) b2;
    c1[offsetBytes + 3] = (byte) b3;
    assertThat(ReferenceDigest.digestPosition(c1, offsetBytes)).isEqualTo(expectedPosition);

    byte[] shifted = c1.clone();
    ReferenceDigest.placeDigest(shifted, expectedPosition == 1503 ? 1502 : expectedPosition + 1);
    assertThat(ServerHandshake.hasClientDigest(shifted)).isFalse();

    ReferenceDigest.placeDigest(c1, expectedPosition);
    assertThat(ServerHandshake.hasClientDigest(c1)).isTrue();
    byte[] clientDigest = Arrays.copyOfRange(c1, expectedPosition, expectedPosition + 32);
    byte[] s2 = Arrays.copyOfRange(
        ServerHandshake.respond(ReferenceDigest.withC0(c1), new Random(1)), 1537, 3073);
    assertThat(Arrays.copyOfRange(s2, 1504, 1536))
        .isEqualTo(ReferenceDigest.signature(s2, clientDigest, ReferenceDigest.SERVER_KEY));
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
