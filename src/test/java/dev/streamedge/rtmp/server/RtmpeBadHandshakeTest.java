package dev.streamedge.rtmp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.rtmp.handshake.EncryptedHandshake;
import dev.streamedge.testing.GoodStream;
import dev.streamedge.testing.LogLines;
import dev.streamedge.testing.RawRtmp;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A broken RTMPE handshake closes its own connection with one log line and nothing else: Diffie-Hellman
 * public keys that are no group element or of small order (0, 1, p-1, p and above), handshakes cut short
 * in C1 or in C2, encrypted bytes sent before the server's key, and RTMPE where rtmp.rtmpe.enabled is
 * false. An ffmpeg publisher and player on
 * another key, both over RTMPE, run through all of it and lose nothing (checked frame for frame last).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("e2e")
@Tag("timing")
class RtmpeBadHandshakeTest {

  /** RFC 2409 §6.2, as the server uses it (written out again here, not taken from the server). */
  private static final BigInteger P = new BigInteger("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
      + "29024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"
      + "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381"
      + "FFFFFFFFFFFFFFFF", 16);
  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(1);
  /** Well below the handshake timeout: "at once" rather than "when the timer got it". */
  private static final Duration AT_ONCE = Duration.ofMillis(700);
  private static final Duration BOUND = Duration.ofSeconds(5);

  @RegisterExtension
  static final TestNode node = TestNode.extension("--rtmp.handshake-timeout=1s");
  private static LogLines log;
  private static GoodStream good;

  @BeforeAll
  static void start() throws Exception {
    log = LogLines.capture();
    good = GoodStream.start(node, "good-rtmpe", TestMedia.audioVideo(8, 2), node::rtmpeUrl);
  }

  @AfterAll
  static void stop() {
    if (good != null) {
      good.close();
    }
    if (log != null) {
      log.close();
    }
  }

  @AfterEach
  void theGoodStreamIsUndisturbed() {
    good.assertNotDisturbed();
  }

  @ParameterizedTest(name = "public key {0}")
  @ValueSource(strings = {"0", "1", "p-1", "p", "2^1024-1"})
  @Order(1)
  void aPublicKeyOutsideTwoToPMinusTwoClosesAtOnceWithOneLine(String which) throws Exception {
    BigInteger y = switch (which) {
      case "0" -> BigInteger.ZERO;
      case "1" -> BigInteger.ONE;
      case "p-1" -> P.subtract(BigInteger.ONE);
      case "p" -> P;
      default -> BigInteger.ONE.shiftLeft(1024).subtract(BigInteger.ONE);
    };
    String expected = switch (which) {
      case "0", "1", "p-1" -> "is " + which;
      default -> "is not below p";
    };
    double before = refusals("bad-input");
    try (RawRtmp client = RawRtmp.open(node.rtmpPort())) {
      client.write(EncryptedHandshake.helloWith(wire(y), new Random(which.hashCode())));
      assertThat(client.awaitClosedByServer(BOUND)).isLessThan(AT_ONCE);
      assertOneLine(client, "rtmpe", "reason=RTMPE client Diffie-Hellman public key " + expected);
    }
    assertThat(refusals("bad-input")).as("closed for bad input, counted once").isEqualTo(before + 1);
  }

  @Test
  @Order(2)
  void aC1CutShortThenClosedGivesOneLineWithTheBytesReceived() throws Exception {
    try (RawRtmp client = RawRtmp.open(node.rtmpPort())) {
      client.write(Arrays.copyOf(EncryptedHandshake.hello(new Random(1)).c0c1(), 700));
      client.shutdownOutput();
      client.awaitClosedByServer(BOUND);
      assertOneLine(client, "rtmpe", "reason=peer closed the connection during the handshake, after 700 bytes");
    }
  }

  @Test
  @Order(3)
  void aC1CutShortThenSilentIsClosedAtTheHandshakeTimeoutWithOneLine() throws Exception {
    double before = refusals("handshake-timeout");
    try (RawRtmp client = RawRtmp.open(node.rtmpPort())) {
      client.write(Arrays.copyOf(EncryptedHandshake.hello(new Random(2)).c0c1(), 700));
      assertThat(client.awaitClosedByServer(BOUND)).isGreaterThanOrEqualTo(HANDSHAKE_TIMEOUT.minusMillis(100));
      assertOneLine(client, "rtmpe", "reason=no handshake and connect within 1000 ms");
    }
    assertThat(refusals("handshake-timeout")).isEqualTo(before + 1);
  }

  @Test
  @Order(4)
  void aC2CutShortThenClosedGivesOneLine() throws Exception {
    try (RawRtmp client = RawRtmp.open(node.rtmpPort())) {
      byte[] c0c1 = EncryptedHandshake.hello(new Random(3)).c0c1();
      client.write(Arrays.copyOf(c0c1, c0c1.length + 100));
      client.shutdownOutput();
      client.awaitClosedByServer(BOUND);
      assertOneLine(client, "rtmpe", "reason=peer closed the connection during the handshake, after 1637 bytes");
    }
  }

  @Test
  @Order(5)
  void bytesAfterC2BeforeTheServersKeyCloseAtOnceWithOneLine() throws Exception {
    // No client can encrypt before it has the server's public key: these bytes are not RTMPE.
    try (RawRtmp client = RawRtmp.open(node.rtmpPort())) {
      byte[] c0c1 = EncryptedHandshake.hello(new Random(4)).c0c1();
      byte[] c2AndMore = new byte[1536 + 200];
      new Random(5).nextBytes(c2AndMore);
      byte[] tooMuch = Arrays.copyOf(c0c1, c0c1.length + c2AndMore.length);
      System.arraycopy(c2AndMore, 0, tooMuch, c0c1.length, c2AndMore.length);
      client.write(tooMuch);
      assertThat(client.awaitClosedByServer(BOUND)).isLessThan(AT_ONCE);
      assertOneLine(client, "rtmpe", "reason=");
    }
  }

  @Test
  @Order(6)
  void withRtmpeTurnedOffAC0OfSixIsRefusedAtItsFirstByteWithOneLine() throws Exception {
    try (TestNode off = TestNode.start("--rtmp.rtmpe.enabled=false");
        RawRtmp client = RawRtmp.open(off.rtmpPort())) {
      client.write(new byte[] {EncryptedHandshake.VERSION});
      assertThat(client.awaitClosedByServer(BOUND)).isLessThan(AT_ONCE);
      assertOneLine(client, "rtmp", "reason=client asked for RTMP version 6 (RTMPE) not accepted here");
    }
  }

  @Test
  @Order(7)
  void theGoodRtmpePlayerReceivedEveryPacket() throws Exception {
    good.assertPlayerReceivedEveryPacket();
  }

  /** The client's connection left exactly one log line: its disconnect, over {@code protocol}, for {@code reason}. */
  private static void assertOneLine(RawRtmp client, String protocol, String reason) throws Exception {
    String peer = Pattern.quote(client.localAddress());
    log.await("disconnect " + peer + " protocol=" + protocol + " .*" + Pattern.quote(reason), BOUND);
    assertThat(log.count(peer + "\\b")).as("lines naming " + client.localAddress()).isEqualTo(1);
  }

  /** The node's count of connections refused or closed for {@code reason}. */
  private static double refusals(String reason) throws Exception {
    return node.scrape().value("streamedge_connections_refused_total", "reason", reason);
  }

  private static byte[] wire(BigInteger y) {
    byte[] raw = y.toByteArray();
    byte[] out = new byte[128];
    int n = Math.min(raw.length, 128);
    System.arraycopy(raw, raw.length - n, out, 128 - n, n);
    return out;
  }
}
