package dev.streamedge.rtmp.handshake;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.streamedge.rtmp.ProtocolException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzzing of both sides of the handshake (docs/fuzzing.md). The first input byte picks
 * the side and whether the rest keeps its length or is cut or zero-padded to the size the side expects.
 *
 * <p>Server: C0+C1 in, S0+S1+S2 out or a {@link ProtocolException}, and only for a wrong length or
 * version. A C1 with a valid client digest gets a digest answer that our own client accepts; any other
 * C1 is echoed in S2. Client: our C0+C1 (plain or digest) and a fuzzed S0+S1+S2; C2 or a
 * ProtocolException, and C2 echoes S1 whenever S1 does not claim the digest handshake.
 */
@Tag("fuzz")
class HandshakeCoverageFuzzTest {

  private static final byte[] PLAIN_HELLO = ClientHandshake.hello(false, new Random(1));
  private static final byte[] DIGEST_HELLO = ClientHandshake.hello(true, new Random(2));

  @FuzzTest(maxDuration = "30s", maxExecutions = 100_000)
  void bothSidesAnswerOrRefuseWithProtocolException(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int mode = input[0] & 0xFF;
    boolean keepLength = (mode & 2) != 0;
    if ((mode & 1) == 0) {
      server(body(input, keepLength, Handshake.C0C1_SIZE));
    } else {
      client((mode & 4) != 0 ? DIGEST_HELLO : PLAIN_HELLO, body(input, keepLength, Handshake.S0S1S2_SIZE));
    }
  }

  private static byte[] body(byte[] input, boolean keepLength, int size) {
    return Arrays.copyOfRange(input, 1, keepLength ? input.length : 1 + size);
  }

  private static void server(byte[] c0c1) {
    byte[] answer;
    try {
      answer = ServerHandshake.respond(c0c1, new Random(3));
    } catch (ProtocolException e) {
      if (c0c1.length == Handshake.C0C1_SIZE && c0c1[0] == Handshake.VERSION) {
        throw new AssertionError("refused a C0+C1 of the right length and version: " + e.getMessage());
      }
      return;
    }
    if (answer.length != Handshake.S0S1S2_SIZE || answer[0] != Handshake.VERSION) {
      throw new AssertionError("answer of " + answer.length + " bytes, version " + answer[0]);
    }
    byte[] c1 = Arrays.copyOfRange(c0c1, 1, Handshake.C0C1_SIZE);
    if (ServerHandshake.hasClientDigest(c1)) {
      try {
        ClientHandshake.acknowledge(c0c1, answer);
      } catch (ProtocolException e) {
        throw new AssertionError("our client refuses the digest answer: " + e.getMessage());
      }
    } else if (!Arrays.equals(answer, 1 + Handshake.PACKET_SIZE, Handshake.S0S1S2_SIZE, c1, 0, Handshake.PACKET_SIZE)) {
      throw new AssertionError("S2 does not echo a plain C1");
    }
  }

  private static void client(byte[] c0c1, byte[] s0s1s2) {
    byte[] c2;
    try {
      c2 = ClientHandshake.acknowledge(c0c1, s0s1s2);
    } catch (ProtocolException e) {
      return;
    }
    if (c2.length != Handshake.PACKET_SIZE) {
      throw new AssertionError("C2 of " + c2.length + " bytes");
    }
    boolean s1ClaimsDigest = s0s1s2[5] != 0 || s0s1s2[6] != 0 || s0s1s2[7] != 0 || s0s1s2[8] != 0;
    if ((c0c1 == PLAIN_HELLO || !s1ClaimsDigest)
        && !Arrays.equals(c2, 0, Handshake.PACKET_SIZE, s0s1s2, 1, 1 + Handshake.PACKET_SIZE)) {
      throw new AssertionError("C2 does not echo S1");
    }
  }
}
