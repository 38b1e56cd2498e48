package dev.streamedge.rtsp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzzing of what a pulling client reads from an RTSP server (docs/fuzzing.md), driven as {@link
 * RtspCoverageFuzzTest} drives the request decoder: the input's first byte seeds the sizes of the pieces the rest
 * arrives in, the rest is what the server sends. {@link RtspDecoder#forReplies} (256 header and 64 body bytes)
 * throws only {@link RtspFormatException}, consumes nothing when it returns null and something when it returns a
 * message, holds no more than its limits allow, and gives the same messages and refusal whole as in pieces.
 * {@link SessionHeader#parse}, {@link RtspAuthenticator#challenge} and {@link RtspSourceUrl#parse} are given the
 * input as text and what the decoded replies carry ({@link ClientParsers}).
 *
 * <p>A class of its own rather than a second {@code @FuzzTest} in RtspCoverageFuzzTest: Jazzer fuzzes one fuzz
 * test per JVM and skips the others of the class (the fuzz execution forks a JVM per class), so a second method
 * there would have taken the request decoder's place.
 */
@Tag("fuzz")
class RtspReplyCoverageFuzzTest {

  private static final Supplier<RtspDecoder> REPLIES = () -> RtspDecoder.forReplies(RtspCoverageFuzzTest.MAX_HEADER,
      RtspCoverageFuzzTest.MAX_BODY);

  @FuzzTest(maxDuration = "15s", maxExecutions = 15_000)
  void replyDecoderAndClientParsersThrowOnlyWhatTheyDeclare(byte[] input) {
    if (input.length == 0) {
      return;
    }
    byte[] bytes = new byte[input.length - 1];
    System.arraycopy(input, 1, bytes, 0, bytes.length);
    RtspCoverageFuzzTest.Outcome whole = RtspCoverageFuzzTest.decode(REPLIES, bytes,
        new int[] {Math.max(1, bytes.length)});
    RtspCoverageFuzzTest.Outcome pieces = RtspCoverageFuzzTest.decode(REPLIES, bytes,
        RtspCoverageFuzzTest.pieceSizes(input[0], bytes.length));
    if (!whole.equals(pieces)) {
      throw new AssertionError("whole " + whole + " but in pieces " + pieces);
    }
    for (RtspMessage message : whole.messages()) {
      if (message instanceof RtspRequest request) {
        throw new AssertionError("a reply decoder read a request: " + request);
      }
      if (message instanceof RtspReply reply) {
        ClientParsers.session(reply.header("Session"));
        ClientParsers.challenge(reply.header("WWW-Authenticate"));
      }
    }
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    ClientParsers.session(text);
    ClientParsers.challenge(text);
    ClientParsers.sourceUrl(text);
  }
}
