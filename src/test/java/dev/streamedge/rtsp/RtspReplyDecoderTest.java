package dev.streamedge.rtsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a camera (or an RTSP server) sends to a client that pulls a stream over TCP, read by {@link
 * RtspDecoder#forReplies}: replies with and without bodies, a 401 with two challenges and an HTML page, RTP and
 * RTCP frames between the replies, whole, in pieces and split at every byte; the limits at and one past their
 * bounds; what is refused, a request line among them, and a status line given to a request decoder.
 */
@Tag("unit")
class RtspReplyDecoderTest {

  private static final String BASE = "rtsp://192.168.1.64:554/Streaming/Channels/101/";
  private static final String DATE = "Date: Mon, Dec 07 2026 16:00:00 GMT\r\n";

  private static final String OPTIONS = "RTSP/1.0 200 OK\r\nCSeq: 1\r\n" + DATE
      + "Public: OPTIONS, DESCRIBE, SETUP, TEARDOWN, PLAY, PAUSE, GET_PARAMETER, SET_PARAMETER\r\n\r\n";
  private static final String PAGE = "<html><head><title>401 Unauthorized</title></head></html>\r\n";
  private static final String UNAUTHORIZED = "RTSP/1.0 401 Unauthorized\r\nCSeq: 2\r\n"
      + "WWW-Authenticate: Digest realm=\"IP Camera(C1234)\", nonce=\"a1b2c3d4e5f6\", stale=\"FALSE\"\r\n"
      + "WWW-Authenticate: Basic realm=\"IP Camera(C1234)\"\r\n" + DATE + "Content-Type: text/html\r\n"
      + "Content-Length: " + PAGE.length() + "\r\n\r\n" + PAGE;
  private static final String SDP = "v=0\r\no=- 1 1 IN IP4 192.168.1.64\r\ns=Media Presentation\r\nt=0 0\r\n"
      + "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=control:trackID=1\r\n";
  private static final String DESCRIBE = "RTSP/1.0 200 OK\r\nCSeq: 3\r\nContent-Type: application/sdp\r\n"
      + "Content-Base: " + BASE + "\r\n" + DATE + "Content-Length: " + SDP.length() + "\r\n\r\n" + SDP;
  private static final String SETUP = "RTSP/1.0 200 OK\r\nCSeq: 4\r\nSession: 1185523457;timeout=60\r\n"
      + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=6b8b4567;mode=\"play\"\r\n" + DATE + "\r\n";
  private static final String PLAY = "RTSP/1.0 200 OK\r\nCSeq: 5\r\nSession: 1185523457\r\n"
      + "RTP-Info: url=" + BASE + "trackID=1;seq=7891;rtptime=3471000\r\nRange: npt=0.000-\r\n\r\n";
  private static final String KEEP_ALIVE = "RTSP/1.0 200 OK\r\nCSeq: 6\r\nSession: 1185523457\r\n\r\n";

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** An interleaved frame on {@code channel} with {@code length} bytes of data. */
  private static byte[] frame(int channel, int length) {
    byte[] frame = new byte[4 + length];
    frame[0] = '$';
    frame[1] = (byte) channel;
    frame[2] = (byte) (length >> 8);
    frame[3] = (byte) length;
    for (int i = 4; i < frame.length; i++) {
      frame[i] = (byte) (i == 4 ? 0x80 : i * 13); // 0x80: an RTP (or RTCP) version 2 header's first byte
    }
    return frame;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static RtspDecoder decoder() {
    return RtspDecoder.forReplies(4096, 65536);
  }

  private static List<RtspMessage> decodeWhole(RtspDecoder decoder, byte[] input) throws RtspFormatException {
    ByteBuf in = Unpooled.wrappedBuffer(input);
    List<RtspMessage> out = new ArrayList<>();
    for (RtspMessage m = decoder.decode(in); m != null; m = decoder.decode(in)) {
      out.add(m);
    }
    assertThat(in.readableBytes()).as("bytes left").isZero();
    return out;
  }

  private static List<RtspMessage> decodeInPieces(RtspDecoder decoder, byte[] input, int pieceSize)
      throws RtspFormatException {
    ByteBuf in = Unpooled.buffer();
    List<RtspMessage> out = new ArrayList<>();
    for (int at = 0; at < input.length; at += pieceSize) {
      in.writeBytes(input, at, Math.min(pieceSize, input.length - at));
      while (true) {
        int before = in.readerIndex();
        RtspMessage m = decoder.decode(in);
        if (m == null) {
          assertThat(in.readerIndex()).as("null consumes nothing").isEqualTo(before);
          break;
        }
        out.add(m);
      }
    }
    assertThat(in.readableBytes()).as("bytes left").isZero();
    return out;
  }

  private static RtspReply only(String reply) throws RtspFormatException {
    List<RtspMessage> messages = decodeWhole(decoder(), ascii(reply));
    assertThat(messages).hasSize(1);
    return (RtspReply) messages.get(0);
  }

  @Test
  void aCameraSessionReadsAsSent() throws RtspFormatException {
    RtspReply options = only(OPTIONS);
    assertThat(options.status()).isEqualTo(200);
    assertThat(options.reason()).isEqualTo("OK");
    assertThat(options.cseq()).isEqualTo(1);
    assertThat(options.headers()).containsExactly(Map.entry("cseq", "1"),
        Map.entry("date", "Mon, Dec 07 2026 16:00:00 GMT"),
        Map.entry("public", "OPTIONS, DESCRIBE, SETUP, TEARDOWN, PLAY, PAUSE, GET_PARAMETER, SET_PARAMETER"));
    assertThat(options.body()).isEmpty();

    RtspReply describe = only(DESCRIBE);
    assertThat(describe.cseq()).isEqualTo(3);
    assertThat(describe.header("content-base")).isEqualTo(BASE);
    assertThat(describe.header("CONTENT-TYPE")).isEqualTo("application/sdp");
    assertThat(new String(describe.body(), StandardCharsets.US_ASCII)).isEqualTo(SDP);

    RtspReply setup = only(SETUP);
    assertThat(setup.header("Session")).isEqualTo("1185523457;timeout=60");
    assertThat(setup.header("Transport")).isEqualTo("RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=6b8b4567;mode=\"play\"");

    RtspReply play = only(PLAY);
    assertThat(play.cseq()).isEqualTo(5);
    assertThat(play.header("rtp-info")).isEqualTo("url=" + BASE + "trackID=1;seq=7891;rtptime=3471000");
  }

  @Test
  void a401KeepsItsBodyAndBothChallengesInOneList() throws RtspFormatException {
    RtspReply reply = only(UNAUTHORIZED);
    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.reason()).isEqualTo("Unauthorized");
    assertThat(reply.cseq()).isEqualTo(2);
    assertThat(reply.header("www-authenticate")).isEqualTo(
        "Digest realm=\"IP Camera(C1234)\", nonce=\"a1b2c3d4e5f6\", stale=\"FALSE\", Basic realm=\"IP Camera(C1234)\"");
    assertThat(new String(reply.body(), StandardCharsets.US_ASCII)).isEqualTo(PAGE);
  }

  /** A session as a camera sends it: RTP on channel 0 and RTCP on 1 among the replies, stray CR/LF between. */
  private static byte[] session() {
    return concat(ascii(OPTIONS), ascii(UNAUTHORIZED), ascii("\r\n"), ascii(DESCRIBE), ascii(SETUP), ascii(PLAY),
        frame(0, 1400), frame(0, 17), frame(1, 52), ascii(KEEP_ALIVE), frame(0, 1400), frame(1, 0),
        ascii("\r\n"), ascii(KEEP_ALIVE.replace("CSeq: 6", "CSeq: 7")), frame(0, 65535));
  }

  @Test
  void framesBetweenRepliesAreReadWithTheirData() throws RtspFormatException {
    List<RtspMessage> messages = decodeWhole(decoder(), session());
    assertThat(messages).hasSize(13);
    assertThat(messages.subList(0, 5)).extracting(m -> ((RtspReply) m).cseq()).containsExactly(1, 2, 3, 4, 5);
    assertFrame(messages.get(5), 0, 1400);
    assertFrame(messages.get(6), 0, 17);
    assertFrame(messages.get(7), 1, 52);
    assertThat(((RtspReply) messages.get(8)).cseq()).isEqualTo(6);
    assertFrame(messages.get(9), 0, 1400);
    assertFrame(messages.get(10), 1, 0);
    assertThat(((RtspReply) messages.get(11)).cseq()).isEqualTo(7);
    assertFrame(messages.get(12), 0, 65535);
  }

  @Test
  void theSameMessagesComeOutWhateverThePieces() throws RtspFormatException {
    byte[] session = session();
    List<RtspMessage> whole = decodeWhole(decoder(), session);
    for (int piece : new int[] {1, 2, 3, 7, 13, 64, 1000}) {
      assertThat(decodeInPieces(decoder(), session, piece)).as("pieces of " + piece).isEqualTo(whole);
    }
  }

  @Test
  void splitAtEveryByteBoundaryGivesTheSameMessages() throws RtspFormatException {
    byte[] input = concat(ascii(UNAUTHORIZED), frame(0, 20), ascii(SETUP));
    List<RtspMessage> whole = decodeWhole(decoder(), input);
    assertThat(whole).hasSize(3);
    for (int split = 0; split <= input.length; split++) {
      RtspDecoder decoder = decoder();
      ByteBuf in = Unpooled.buffer();
      List<RtspMessage> out = new ArrayList<>();
      in.writeBytes(input, 0, split);
      for (RtspMessage m = decoder.decode(in); m != null; m = decoder.decode(in)) {
        out.add(m);
      }
      in.writeBytes(input, split, input.length - split);
      for (RtspMessage m = decoder.decode(in); m != null; m = decoder.decode(in)) {
        out.add(m);
      }
      assertThat(out).as("split at " + split).isEqualTo(whole);
    }
  }

  @Test
  void anEmptyReasonPhraseWithOrWithoutItsSpace() throws RtspFormatException {
    RtspReply bare = only("RTSP/1.0 200\r\nCSeq: 5\r\n\r\n");
    assertThat(bare.status()).isEqualTo(200);
    assertThat(bare.reason()).isEmpty();
    assertThat(bare.cseq()).isEqualTo(5);
    assertThat(only("RTSP/1.0 454 \r\nCSeq: 6\r\n\r\n").reason()).isEmpty();
    assertThat(only("RTSP/1.0 200 OK\n\n").cseq()).isEqualTo(-1);
    assertThat(only("RTSP/1.0 551 Option not supported\r\n\r\n").reason()).isEqualTo("Option not supported");
    assertThat(only("RTSP/1.0 100 Continue\r\n\r\n").status()).isEqualTo(100);
    assertThat(only("RTSP/1.0 599 x\r\n\r\n").status()).isEqualTo(599);
  }

  @Test
  void withoutContentLengthThereIsNoBody() throws RtspFormatException {
    // What follows a reply without a Content-Length is the next message, not its body until the close.
    List<RtspMessage> messages = decodeWhole(decoder(), concat(ascii("RTSP/1.0 200 OK\r\nCSeq: 9\r\n\r\n"),
        frame(0, 5)));
    assertThat(((RtspReply) messages.get(0)).body()).isEmpty();
    assertFrame(messages.get(1), 0, 5);
  }

  private static void assertRefused(RtspDecoder decoder, String input, int status, String message) {
    ByteBuf in = Unpooled.wrappedBuffer(ascii(input));
    assertThatThrownBy(() -> {
      while (decoder.decode(in) != null) {
        // Messages before the bad one come out; the bad one throws.
      }
    }).isInstanceOf(RtspFormatException.class).hasMessageContaining(message)
        .satisfies(e -> assertThat(((RtspFormatException) e).status()).isEqualTo(status));
  }

  private static void assertRefused(String input, String message) {
    assertRefused(decoder(), input, 400, message);
  }

  @Test
  void malformedStatusLinesAreRefused() {
    assertRefused("RTSP/1.0 099 Low\r\n\r\n", "status code 99 is not 100 to 599");
    assertRefused("RTSP/1.0 600 High\r\n\r\n", "status code 600 is not 100 to 599");
    assertRefused("RTSP/1.0 999\r\n\r\n", "status code 999");
    assertRefused("RTSP/1.0 2000 OK\r\n\r\n", "is not RTSP/1.0 NNN Reason");
    assertRefused("RTSP/1.0 20 OK\r\n\r\n", "is not RTSP/1.0 NNN Reason");
    assertRefused("RTSP/1.0 2O0 OK\r\n\r\n", "is not RTSP/1.0 NNN Reason");
    assertRefused("RTSP/1.0 200OK\r\n\r\n", "is not RTSP/1.0 NNN Reason");
    assertRefused("RTSP/1.0  200 OK\r\n\r\n", "is not RTSP/1.0 NNN Reason");
    assertRefused("RTSP/1.0\r\n\r\n", "is not RTSP/1.0 NNN Reason");
    assertRefused("RTSP/1.0 200 O\u0001K\r\n\r\n", "control character 0x1 in status line");
    assertRefused("RTSP/1.0 200 OK\r\nCSeq 1\r\n\r\n", "is not Name: value");
    assertRefused("RTSP/1.0 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", "more than one");
    assertRefused("RTSP/1.0 200 OK\r\nX: caf\u00e9\r\n\r\n", "not US-ASCII");
    assertRefused(decoder(), "RTSP/2.0 200 OK\r\n\r\n", 505, "RTSP version 2.0 not supported");
    assertRefused("HTTP/1.1 200 OK\r\n\r\n", "protocol \"HTTP/1.1\" is not RTSP/1.0");
    assertRefused(" RTSP/1.0 200 OK\r\n\r\n", "is not RTSP/1.0");
  }

  @Test
  void aRequestLineWhereAReplyWasExpectedIsRefusedAndTheOtherWayRound() {
    assertRefused("ANNOUNCE rtsp://192.168.1.10/x RTSP/1.0\r\nCSeq: 1\r\n\r\n", "where a reply was expected");
    assertRefused("GET_PARAMETER * RTSP/1.0\r\n\r\n", "where a reply was expected");
    // The server's decoder: a reply sent to it is malformed input, answered 400 before the connection closes.
    assertRefused(new RtspDecoder(4096, 65536), OPTIONS, 400, "where a request was expected");
    assertRefused(new RtspDecoder(4096, 65536), "RTSP/1.0 200\r\n\r\n", 400, "where a request was expected");
    assertRefused(new RtspDecoder(4096, 65536), "RTSP/2.0 200 OK\r\n\r\n", 400, "where a request was expected");
  }

  @Test
  void afterARefusalEverythingIsRefused() throws RtspFormatException {
    RtspDecoder decoder = decoder();
    assertRefused(decoder, "RTSP/1.0 700 Odd\r\n\r\n", 400, "status code 700");
    assertRefused(decoder, OPTIONS, 400, "status code 700");
    assertThat(decoder.state()).isEqualTo(RtspDecoder.State.FAILED);
    RtspDecoder another = decoder();
    ByteBuf in = Unpooled.wrappedBuffer(ascii(OPTIONS + "junk\r\n\r\n"));
    assertThat(another.decode(in)).isInstanceOf(RtspReply.class);
    assertThatThrownBy(() -> another.decode(in)).isInstanceOf(RtspFormatException.class);
  }

  @Test
  void headerSectionAndBodyExactlyAtTheirLimitsAndOneOver() throws RtspFormatException {
    int head = SETUP.length();
    assertThat(decodeInPieces(RtspDecoder.forReplies(head, 1), ascii(SETUP), 1)).hasSize(1);
    assertRefused(RtspDecoder.forReplies(head - 1, 1), SETUP, 400, "header section over " + (head - 1));
    int page = PAGE.length();
    RtspReply atLimit = (RtspReply) decodeInPieces(RtspDecoder.forReplies(4096, page), ascii(UNAUTHORIZED), 5).get(0);
    assertThat(atLimit.body()).hasSize(page);
    assertRefused(RtspDecoder.forReplies(4096, page - 1), UNAUTHORIZED, 400, "Content-Length " + page + " over "
        + (page - 1));
  }

  @Test
  void anEndlessHeaderSectionStrayLineEndsAndHeaderCountAreBounded() throws RtspFormatException {
    RtspDecoder decoder = RtspDecoder.forReplies(100, 10);
    ByteBuf in = Unpooled.buffer().writeBytes(ascii("RTSP/1.0 200 OK\r\nX: " + "a".repeat(100 - 20)));
    assertThat(in.readableBytes()).isEqualTo(100);
    assertThat(decoder.decode(in)).isNull();
    in.writeByte('a');
    assertThatThrownBy(() -> decoder.decode(in)).hasMessageContaining("header section over 100 bytes");

    RtspDecoder strays = RtspDecoder.forReplies(10, 10);
    ByteBuf crlf = Unpooled.buffer().writeBytes(ascii("\r\n".repeat(5)));
    assertThat(strays.decode(crlf)).isNull();
    crlf.writeByte('\n');
    assertThatThrownBy(() -> strays.decode(crlf)).hasMessageContaining("CR/LF");

    StringBuilder many = new StringBuilder("RTSP/1.0 200 OK\r\n");
    for (int i = 0; i < 64; i++) {
      many.append("X-").append(i).append(": ").append(i).append("\r\n");
    }
    assertThat(only(many + "\r\n").headers()).hasSize(64);
    assertRefused(many + "X-64: 64\r\n\r\n", "more than 64 headers");
  }

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(() -> RtspDecoder.forReplies(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RtspDecoder.forReplies(1, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void repliesWithEqualContentAreEqual() {
    RtspReply a = new RtspReply(200, "OK", 1, Map.of("CSeq", "1"), new byte[] {1});
    RtspReply b = new RtspReply(200, "OK", 1, Map.of("cseq", "1"), new byte[] {1});
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(new RtspReply(200, "OK", 1, Map.of("cseq", "1"), new byte[] {2}));
    assertThat(a.header("CSEQ")).isEqualTo("1");
    assertThat(new RtspReply(200, null, -1, Map.of(), null).body()).isEmpty();
    assertThat(a.toString()).isEqualTo("RtspReply[200 OK CSeq 1 {cseq=1} body 1 bytes]");
  }

  private static void assertFrame(RtspMessage message, int channel, int length) {
    assertThat(message).isInstanceOf(InterleavedFrame.class);
    InterleavedFrame frame = (InterleavedFrame) message;
    assertThat(frame.channel()).isEqualTo(channel);
    assertThat(frame.length()).isEqualTo(length);
  }
}
