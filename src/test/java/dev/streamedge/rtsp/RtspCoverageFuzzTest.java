package dev.streamedge.rtsp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.streamedge.stream.StreamNames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzzing of what reaches the RTSP port (docs/fuzzing.md): the input's first byte seeds the
 * sizes of the pieces the rest arrives in, the rest is what a client sends. {@link RtspDecoder} (with small
 * limits, so that the fuzzer reaches them) throws only {@link RtspFormatException}; it consumes nothing when it
 * returns null and something when it returns a message, holds no more than its limits allow, and gives the same
 * messages and the same refusal whole as in pieces. {@link RtspTarget#parse} and {@link TransportSpec#parseAll}
 * throw only RtspFormatException, on the input as a string and on what the decoded requests carry, and what
 * they return is within its bounds. {@link RtspReplyCoverageFuzzTest} drives the reply decoder with the same
 * helpers ({@link #decode}, {@link #pieceSizes}).
 */
@Tag("fuzz")
class RtspCoverageFuzzTest {

  static final int MAX_HEADER = 256;
  static final int MAX_BODY = 64;
  private static final int MAX_HELD_WITHOUT_MESSAGE = MAX_HEADER + Math.max(MAX_HEADER + MAX_BODY, 4 + 65_535);

  /** A decoder of requests with the small limits. */
  private static final Supplier<RtspDecoder> REQUESTS = () -> new RtspDecoder(MAX_HEADER, MAX_BODY);

  /** What a decoder made of its input: the messages, then the refusal if there was one. */
  record Outcome(List<RtspMessage> messages, String refusal) {
  }

  @FuzzTest(maxDuration = "30s", maxExecutions = 30_000)
  void decoderReturnsOrThrowsRtspFormatExceptionWithinItsLimits(byte[] input) {
    if (input.length == 0) {
      return;
    }
    byte[] bytes = new byte[input.length - 1];
    System.arraycopy(input, 1, bytes, 0, bytes.length);
    Outcome whole = decode(REQUESTS, bytes, new int[] {Math.max(1, bytes.length)});
    Outcome pieces = decode(REQUESTS, bytes, pieceSizes(input[0], bytes.length));
    if (!whole.equals(pieces)) {
      throw new AssertionError("whole " + whole + " but in pieces " + pieces);
    }
    for (RtspMessage message : whole.messages()) {
      if (message instanceof RtspReply reply) {
        throw new AssertionError("a request decoder read a reply: " + reply);
      }
      if (message instanceof RtspRequest request) {
        target(request.uri());
        String transport = request.header("Transport");
        if (transport != null) {
          transports(transport);
        }
      }
    }
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    target(text);
    transports(text);
  }

  /** Piece sizes of 1 to 64 bytes, a different sequence for each seed byte (a linear congruential generator). */
  static int[] pieceSizes(byte seed, int length) {
    List<Integer> sizes = new ArrayList<>();
    int state = seed & 0xff;
    for (int total = 0; total < length; ) {
      state = state * 1_103_515_245 + 12_345;
      int size = 1 + ((state >>> 16) & 63);
      sizes.add(size);
      total += size;
    }
    return sizes.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Feeds {@code bytes} in pieces of the given sizes to a new decoder, checking the contract at every call. */
  static Outcome decode(Supplier<RtspDecoder> decoders, byte[] bytes, int[] pieceSizes) {
    RtspDecoder decoder = decoders.get();
    ByteBuf in = Unpooled.buffer();
    List<RtspMessage> messages = new ArrayList<>();
    // Each message consumes at least one byte, each piece ends in one null: more calls would be a loop.
    int callsLeft = bytes.length + pieceSizes.length + 2;
    int at = 0;
    try {
      for (int size : pieceSizes) {
        int n = Math.min(size, bytes.length - at);
        in.writeBytes(bytes, at, n);
        at += n;
        while (true) {
          if (--callsLeft < 0) {
            throw new AssertionError("decode called more times than the input allows");
          }
          int before = in.readerIndex();
          RtspMessage message = decoder.decode(in);
          if (message == null) {
            if (in.readerIndex() != before) {
              throw new AssertionError("null after consuming " + (in.readerIndex() - before) + " bytes");
            }
            if (in.readableBytes() > MAX_HELD_WITHOUT_MESSAGE) {
              throw new AssertionError(in.readableBytes() + " bytes held without a message");
            }
            break;
          }
          if (in.readerIndex() <= before) {
            throw new AssertionError(message + " without consuming");
          }
          check(message);
          messages.add(message);
        }
      }
      if (at != bytes.length) {
        throw new AssertionError("pieces do not cover the input");
      }
      return new Outcome(messages, null);
    } catch (RtspFormatException e) {
      if (e.getMessage() == null || e.getMessage().isEmpty() || e.status() != 400 && e.status() != 505) {
        throw new AssertionError("refusal " + e.status() + " " + e.getMessage());
      }
      try {
        decoder.decode(Unpooled.wrappedBuffer("OPTIONS * RTSP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        throw new AssertionError("a message read after a refusal");
      } catch (RtspFormatException again) {
        // Refused again, as after any refusal.
      }
      return new Outcome(messages, e.status() + " " + e.getMessage());
    }
  }

  private static void check(RtspMessage message) {
    if (message instanceof RtspRequest r) {
      if (r.body().length > MAX_BODY || r.headers().size() > RtspDecoder.MAX_HEADERS || r.method().isEmpty()
          || r.method().length() > RtspDecoder.MAX_METHOD_LENGTH || r.uri().isEmpty() || r.cseq() < -1
          || r.method().length() + r.uri().length() > MAX_HEADER) {
        throw new AssertionError("request out of bounds: " + r);
      }
      if (r.headers().keySet().stream().anyMatch(k -> !Objects.equals(r.header(k.toUpperCase(java.util.Locale.ROOT)), r.headers().get(k)))) {
        throw new AssertionError("header lookup depends on case: " + r);
      }
    } else if (message instanceof RtspReply r) {
      if (r.body().length > MAX_BODY || r.headers().size() > RtspDecoder.MAX_HEADERS || r.status() < 100
          || r.status() > 599 || r.cseq() < -1 || r.reason().length() > MAX_HEADER) {
        throw new AssertionError("reply out of bounds: " + r);
      }
      if (r.headers().keySet().stream().anyMatch(k -> !Objects.equals(r.header(k.toUpperCase(java.util.Locale.ROOT)), r.headers().get(k)))) {
        throw new AssertionError("header lookup depends on case: " + r);
      }
    } else if (message instanceof InterleavedFrame f && (f.channel() < 0 || f.channel() > 255 || f.length() < 0
        || f.length() > 65_535)) {
      throw new AssertionError("frame out of bounds: " + f);
    }
  }

  private static void target(String uri) {
    try {
      RtspTarget target = RtspTarget.parse(uri);
      if (!StreamNames.valid(target.app()) || !StreamNames.valid(target.name()) || target.track() < -1
          || target.track() > 7 || target.query() == null) {
        throw new AssertionError(uri + " read as " + target);
      }
    } catch (RtspFormatException e) {
      refusedWithAReason(e);
    }
  }

  private static void transports(String header) {
    try {
      List<TransportSpec> specs = TransportSpec.parseAll(header);
      if (specs.isEmpty() || specs.size() > 8) {
        throw new AssertionError(header + " read as " + specs.size() + " specs");
      }
      for (TransportSpec spec : specs) {
        boolean channels = spec.interleavedRtp() == -1 && spec.interleavedRtcp() == -1
            || spec.interleavedRtp() >= 0 && spec.interleavedRtp() <= 255 && spec.interleavedRtcp() >= 0
            && spec.interleavedRtcp() <= 255;
        boolean ports = spec.clientRtpPort() == -1 && spec.clientRtcpPort() == -1
            || spec.clientRtpPort() >= 1 && spec.clientRtpPort() <= 65_535 && spec.clientRtcpPort() >= 1
            && spec.clientRtcpPort() <= 65_535;
        if (!channels || !ports || spec.profile().isEmpty() || spec.mode() == null) {
          throw new AssertionError(header + " read as " + spec);
        }
        if (spec.interleavedRtp() >= 0 && !spec.answer(0x89ABCDEFL).matches(
            "RTP/AVP/TCP;unicast;interleaved=\\d{1,3}-\\d{1,3};ssrc=89ABCDEF")) {
          throw new AssertionError("answer " + spec.answer(0x89ABCDEFL));
        }
      }
    } catch (RtspFormatException e) {
      refusedWithAReason(e);
    }
  }

  private static void refusedWithAReason(RtspFormatException e) {
    if (e.getMessage() == null || e.getMessage().isEmpty() || e.status() != 400) {
      throw new AssertionError("refusal " + e.status() + " " + e.getMessage());
    }
  }
}
