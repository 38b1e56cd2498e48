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
 * What ffmpeg 8, GStreamer's rtspsrc and live555 (VLC) send in a play session over TCP, whole, pipelined and a
 * byte at a time; the limits at and one past their bounds; what is refused, and with which status.
 */
@Tag("unit")
class RtspDecoderTest {

  private static final String URL = "rtsp://127.0.0.1:8554/live/test";

  private static final String FFMPEG_OPTIONS = "OPTIONS " + URL + " RTSP/1.0\r\nCSeq: 1\r\n"
      + "User-Agent: Lavf62.3.100\r\n\r\n";
  private static final String FFMPEG_DESCRIBE = "DESCRIBE " + URL + " RTSP/1.0\r\nAccept: application/sdp\r\n"
      + "CSeq: 2\r\nUser-Agent: Lavf62.3.100\r\n\r\n";
  private static final String FFMPEG_SETUP = "SETUP " + URL + "/trackID=0 RTSP/1.0\r\n"
      + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\nCSeq: 3\r\nUser-Agent: Lavf62.3.100\r\n\r\n";
  private static final String FFMPEG_SETUP_AUDIO = "SETUP " + URL + "/trackID=1 RTSP/1.0\r\n"
      + "Transport: RTP/AVP/TCP;unicast;interleaved=2-3\r\nCSeq: 4\r\nUser-Agent: Lavf62.3.100\r\n"
      + "Session: 5F3A9C21\r\n\r\n";
  private static final String FFMPEG_PLAY = "PLAY " + URL + "/ RTSP/1.0\r\nRange: npt=0.000-\r\nCSeq: 5\r\n"
      + "User-Agent: Lavf62.3.100\r\nSession: 5F3A9C21\r\n\r\n";
  private static final String GET_PARAMETER_BODY = "packets_received\r\njitter\r\n";
  private static final String FFMPEG_GET_PARAMETER = "GET_PARAMETER " + URL + "/ RTSP/1.0\r\nCSeq: 6\r\n"
      + "User-Agent: Lavf62.3.100\r\nSession: 5F3A9C21\r\nContent-Type: text/parameters\r\n"
      + "Content-Length: " + GET_PARAMETER_BODY.length() + "\r\n\r\n" + GET_PARAMETER_BODY;
  private static final String FFMPEG_TEARDOWN = "TEARDOWN " + URL + "/ RTSP/1.0\r\nCSeq: 7\r\n"
      + "User-Agent: Lavf62.3.100\r\nSession: 5F3A9C21\r\n\r\n";

  private static final String GST_AGENT = "User-Agent: GStreamer/1.22.0\r\n";
  private static final String GST_DATE = "Date: Mon, 07 Dec 2026 16:00:00 GMT\r\n";
  private static final String GSTREAMER = "OPTIONS " + URL + " RTSP/1.0\r\nCSeq: 1\r\n" + GST_AGENT + GST_DATE
      + "\r\n"
      + "DESCRIBE " + URL + " RTSP/1.0\r\nCSeq: 2\r\n" + GST_AGENT + "Accept: application/sdp\r\n" + GST_DATE + "\r\n"
      + "SETUP " + URL + "/trackID=0 RTSP/1.0\r\nCSeq: 3\r\n" + GST_AGENT
      + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n" + GST_DATE + "\r\n"
      + "PLAY " + URL + "/ RTSP/1.0\r\nCSeq: 4\r\n" + GST_AGENT + "Range: npt=0-\r\nSession: 5F3A9C21\r\n" + GST_DATE
      + "\r\n";

  private static final String LIVE555_AGENT = "User-Agent: LibVLC/3.0.20 (LIVE555 Streaming Media v2022.10.01)\r\n";
  private static final String LIVE555 = "OPTIONS " + URL + " RTSP/1.0\r\nCSeq: 2\r\n" + LIVE555_AGENT + "\r\n"
      + "DESCRIBE " + URL + " RTSP/1.0\r\nCSeq: 3\r\n" + LIVE555_AGENT + "Accept: application/sdp\r\n\r\n"
      + "SETUP " + URL + "/trackID=0 RTSP/1.0\r\nCSeq: 4\r\n" + LIVE555_AGENT
      + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n"
      + "PLAY " + URL + "/ RTSP/1.0\r\nCSeq: 5\r\n" + LIVE555_AGENT + "Session: 5F3A9C21\r\nRange: npt=0.000-\r\n\r\n";

  /** An RTCP receiver report with one report block (RFC 3550 §6.4.2), 32 bytes, on channel 1. */
  private static final byte[] RTCP_RR = rtcpReceiverReport();

  private static byte[] rtcpReceiverReport() {
    byte[] frame = new byte[4 + 32];
    frame[0] = '$';
    frame[1] = 1;
    frame[3] = 32;
    frame[4] = (byte) 0x81;
    frame[5] = (byte) 201;
    frame[7] = 7;
    for (int i = 8; i < frame.length; i++) {
      frame[i] = (byte) (i * 7);
    }
    return frame;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static RtspDecoder decoder() {
    return new RtspDecoder(4096, 65536);
  }

  /** Every message in {@code input} given at once; asserts that nothing is left over. */
  private static List<RtspMessage> decodeWhole(RtspDecoder decoder, byte[] input) throws RtspFormatException {
    ByteBuf in = Unpooled.wrappedBuffer(input);
    List<RtspMessage> out = new ArrayList<>();
    for (RtspMessage m = decoder.decode(in); m != null; m = decoder.decode(in)) {
      out.add(m);
    }
    assertThat(in.readableBytes()).as("bytes left").isZero();
    return out;
  }

  /** Every message in {@code input} arriving in pieces ending at the given offsets, into one cumulation. */
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

  private static RtspRequest only(String request) throws RtspFormatException {
    List<RtspMessage> messages = decodeWhole(decoder(), ascii(request));
    assertThat(messages).hasSize(1);
    return (RtspRequest) messages.get(0);
  }

  @Test
  void ffmpegPlaySessionReadsAsSent() throws RtspFormatException {
    RtspRequest options = only(FFMPEG_OPTIONS);
    assertThat(options.method()).isEqualTo("OPTIONS");
    assertThat(options.uri()).isEqualTo(URL);
    assertThat(options.cseq()).isEqualTo(1);
    assertThat(options.headers()).containsExactly(Map.entry("cseq", "1"), Map.entry("user-agent", "Lavf62.3.100"));
    assertThat(options.header("USER-agent")).isEqualTo("Lavf62.3.100");
    assertThat(options.header("Session")).isNull();
    assertThat(options.body()).isEmpty();

    RtspRequest describe = only(FFMPEG_DESCRIBE);
    assertThat(describe.method()).isEqualTo("DESCRIBE");
    assertThat(describe.header("Accept")).isEqualTo("application/sdp");
    assertThat(describe.cseq()).isEqualTo(2);

    RtspRequest setup = only(FFMPEG_SETUP);
    assertThat(setup.uri()).isEqualTo(URL + "/trackID=0");
    assertThat(setup.header("transport")).isEqualTo("RTP/AVP/TCP;unicast;interleaved=0-1");

    RtspRequest play = only(FFMPEG_PLAY);
    assertThat(play.header("Session")).isEqualTo("5F3A9C21");
    assertThat(play.header("Range")).isEqualTo("npt=0.000-");

    RtspRequest getParameter = only(FFMPEG_GET_PARAMETER);
    assertThat(getParameter.method()).isEqualTo("GET_PARAMETER");
    assertThat(getParameter.cseq()).isEqualTo(6);
    assertThat(new String(getParameter.body(), StandardCharsets.US_ASCII)).isEqualTo(GET_PARAMETER_BODY);
  }

  @Test
  void gstreamerAndLive555SessionsPipelinedInOneBuffer() throws RtspFormatException {
    List<RtspMessage> gst = decodeWhole(decoder(), ascii(GSTREAMER));
    assertThat(gst).extracting(m -> ((RtspRequest) m).method()).containsExactly("OPTIONS", "DESCRIBE", "SETUP", "PLAY");
    assertThat(gst).extracting(m -> ((RtspRequest) m).cseq()).containsExactly(1, 2, 3, 4);
    assertThat(((RtspRequest) gst.get(3)).header("date")).isEqualTo("Mon, 07 Dec 2026 16:00:00 GMT");

    List<RtspMessage> vlc = decodeWhole(decoder(), ascii(LIVE555));
    assertThat(vlc).extracting(m -> ((RtspRequest) m).cseq()).containsExactly(2, 3, 4, 5);
    assertThat(((RtspRequest) vlc.get(0)).header("User-Agent"))
        .isEqualTo("LibVLC/3.0.20 (LIVE555 Streaming Media v2022.10.01)");
  }

  /** A whole ffmpeg session with RTCP reports among the requests, and stray CR/LF between messages. */
  private static byte[] session() {
    return concat(ascii(FFMPEG_OPTIONS), ascii("\r\n"), ascii(FFMPEG_DESCRIBE), ascii(FFMPEG_SETUP),
        ascii(FFMPEG_SETUP_AUDIO), ascii(FFMPEG_PLAY), RTCP_RR, ascii("\r\n\n"), RTCP_RR, new byte[] {'$', 3, 0, 0},
        ascii(FFMPEG_GET_PARAMETER), RTCP_RR, ascii(FFMPEG_TEARDOWN), ascii(GSTREAMER), ascii(LIVE555));
  }

  @Test
  void interleavedFramesBetweenRequestsAreReadWithTheirData() throws RtspFormatException {
    List<RtspMessage> messages = decodeWhole(decoder(), session());
    assertThat(messages).hasSize(19);
    assertFrame(messages.get(5), 1, 32);
    assertFrame(messages.get(6), 1, 32);
    assertFrame(messages.get(7), 3, 0);
    assertThat(((RtspRequest) messages.get(8)).method()).isEqualTo("GET_PARAMETER");
    assertFrame(messages.get(9), 1, 32);
    assertThat(((RtspRequest) messages.get(10)).method()).isEqualTo("TEARDOWN");
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
    byte[] input = concat(ascii(FFMPEG_GET_PARAMETER), RTCP_RR, ascii(FFMPEG_SETUP));
    List<RtspMessage> whole = decodeWhole(decoder(), input);
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
  void partOfAMessageReturnsNullAndConsumesNothing() throws RtspFormatException {
    RtspDecoder decoder = decoder();
    ByteBuf in = Unpooled.buffer().writeBytes(ascii("\r\n$\u0001\u0000"));
    assertThat(decoder.decode(in)).isNull();
    assertThat(in.readerIndex()).isZero();
    in.writeBytes(new byte[] {2, 9});
    assertThat(decoder.decode(in)).isNull();
    assertThat(in.readerIndex()).isZero();
    in.writeByte(9);
    assertFrame(decoder.decode(in), 1, 2);
    assertThat(in.readableBytes()).isZero();
    assertThat(decoder.state()).isEqualTo(RtspDecoder.State.START);
  }

  @Test
  void bareLineFeedsAreAcceptedToo() throws RtspFormatException {
    RtspRequest lf = only(FFMPEG_GET_PARAMETER.replace("\r\n\r\n", "\n\n").replace("CSeq: 6\r\n", "CSeq: 6\n"));
    assertThat(lf.cseq()).isEqualTo(6);
    assertThat(lf.header("Content-Type")).isEqualTo("text/parameters");
    assertThat(lf.body()).hasSize(GET_PARAMETER_BODY.length());
    RtspRequest allLf = only("OPTIONS * RTSP/1.0\nCSeq: 9\nUser-Agent: x\n\n");
    assertThat(allLf.uri()).isEqualTo("*");
    assertThat(allLf.headers()).hasSize(2);
    assertThat(only("OPTIONS * RTSP/1.0\nCSeq: 9\n\r\n").cseq()).isEqualTo(9);
  }

  @Test
  void valuesAreTrimmedAndRepeatedHeadersJoined() throws RtspFormatException {
    RtspRequest r = only("OPTIONS * RTSP/1.0\r\nCSeq:7\r\nRequire:  a \t\r\nrequire: b\r\nX-Empty:\r\n\r\n");
    assertThat(r.cseq()).isEqualTo(7);
    assertThat(r.header("Require")).isEqualTo("a, b");
    assertThat(r.header("x-empty")).isEmpty();
  }

  @Test
  void aMissingOrUnusableCseqIsMinusOne() throws RtspFormatException {
    assertThat(only("OPTIONS * RTSP/1.0\r\n\r\n").cseq()).isEqualTo(-1);
    assertThat(only("OPTIONS * RTSP/1.0\r\nCSeq: abc\r\n\r\n").cseq()).isEqualTo(-1);
    assertThat(only("OPTIONS * RTSP/1.0\r\nCSeq: -1\r\n\r\n").cseq()).isEqualTo(-1);
    assertThat(only("OPTIONS * RTSP/1.0\r\nCSeq: 2147483648\r\n\r\n").cseq()).isEqualTo(-1);
    assertThat(only("OPTIONS * RTSP/1.0\r\nCSeq: 2147483647\r\n\r\n").cseq()).isEqualTo(Integer.MAX_VALUE);
    assertThat(only("OPTIONS * RTSP/1.0\r\nCSeq: 0\r\n\r\n").cseq()).isZero();
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
  void anotherVersionIs505AndAnotherProtocol400() {
    assertRefused(decoder(), "OPTIONS * RTSP/2.0\r\nCSeq: 1\r\n\r\n", 505, "RTSP version 2.0 not supported");
    assertRefused(decoder(), "OPTIONS * RTSP/1.1\r\n\r\n", 505, "RTSP version 1.1 not supported");
    assertRefused(decoder(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 400, "is not RTSP/1.0");
    assertRefused(decoder(), "OPTIONS * rtsp/1.0\r\n\r\n", 400, "is not RTSP/1.0");
    assertRefused(decoder(), "OPTIONS * RTSP/1.\r\n\r\n", 400, "is not RTSP/1.0");
  }

  @Test
  void garbageIsRefused() {
    assertRefused("\u0000\u0001\u0002\r\n\r\n", "request line");
    assertRefused("hello\r\n\r\n", "is not METHOD URI RTSP/1.0");
    assertRefused("OPTIONS  * RTSP/1.0\r\n\r\n", "is not METHOD URI RTSP/1.0");
    assertRefused("OPTIONS * RTSP/1.0 \r\n\r\n", "is not METHOD URI RTSP/1.0");
    assertRefused(" OPTIONS * RTSP/1.0\r\n\r\n", "is not METHOD URI RTSP/1.0");
    assertRefused("OPT\rIONS * RTSP/1.0\r\n\r\n", "control character");
    assertRefused("OPTIONS * RTSP/1.0\r\nCSeq 1\r\n\r\n", "is not Name: value");
    assertRefused("OPTIONS * RTSP/1.0\r\n: 1\r\n\r\n", "is not Name: value");
    assertRefused("OPTIONS * RTSP/1.0\r\nC Seq: 1\r\n\r\n", "is not Name: value");
    assertRefused("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n continued\r\n\r\n", "line folding");
    assertRefused("OPTIONS * RTSP/1.0\r\nX: a\u0000b\r\n\r\n", "control character");
    assertRefused("OPTIONS * RTSP/1.0\r\nX: caf\u00e9\r\n\r\n", "not US-ASCII");
    assertRefused("OPT(ONS * RTSP/1.0\r\n\r\n", "token characters");
    assertRefused("A".repeat(33) + " * RTSP/1.0\r\n\r\n", "token characters");
    assertRefused("OPTIONS * RTSP/1.0\r\nContent-Length: -1\r\n\r\n", "negative");
    assertRefused("OPTIONS * RTSP/1.0\r\nContent-Length: ten\r\n\r\n", "not a number");
    assertRefused("OPTIONS * RTSP/1.0\r\nContent-Length: 99999999999\r\n\r\n", "not a number");
    assertRefused("OPTIONS * RTSP/1.0\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", "more than one");
  }

  @Test
  void aMethodOf32TokenCharactersIsAccepted() throws RtspFormatException {
    assertThat(only("A".repeat(32) + " * RTSP/1.0\r\n\r\n").method()).hasSize(32);
  }

  @Test
  void afterARefusalEverythingIsRefused() throws RtspFormatException {
    RtspDecoder decoder = decoder();
    assertRefused(decoder, "OPTIONS * RTSP/2.0\r\n\r\n", 505, "RTSP version 2.0");
    assertRefused(decoder, FFMPEG_OPTIONS, 505, "RTSP version 2.0");
    assertThat(decoder.state()).isEqualTo(RtspDecoder.State.FAILED);
    // Messages before the bad one are read.
    RtspDecoder another = decoder();
    ByteBuf in = Unpooled.wrappedBuffer(ascii(FFMPEG_OPTIONS + "junk\r\n\r\n"));
    assertThat(another.decode(in)).isInstanceOf(RtspRequest.class);
    assertThatThrownBy(() -> another.decode(in)).isInstanceOf(RtspFormatException.class);
  }

  @Test
  void headerSectionExactlyAtTheLimitAndOneOver() throws RtspFormatException {
    int length = FFMPEG_SETUP.length();
    assertThat(decodeInPieces(new RtspDecoder(length, 1), ascii(FFMPEG_SETUP), 1)).hasSize(1);
    assertRefused(new RtspDecoder(length - 1, 1), FFMPEG_SETUP, 400, "header section over " + (length - 1));
    // Pipelined: the limit is per message.
    assertThat(decodeWhole(new RtspDecoder(length, 1), ascii(FFMPEG_SETUP + FFMPEG_SETUP))).hasSize(2);
  }

  @Test
  void anEndlessHeaderSectionIsRefusedOneByteOverTheLimit() throws RtspFormatException {
    RtspDecoder decoder = new RtspDecoder(100, 10);
    ByteBuf in = Unpooled.buffer();
    in.writeBytes(ascii("OPTIONS * RTSP/1.0\r\nX: " + "a".repeat(100 - 23)));
    assertThat(in.readableBytes()).isEqualTo(100);
    assertThat(decoder.decode(in)).isNull();
    in.writeByte('a');
    assertThatThrownBy(() -> decoder.decode(in)).isInstanceOf(RtspFormatException.class)
        .hasMessageContaining("header section over 100 bytes");
  }

  @Test
  void strayLineEndsAreBoundedToo() throws RtspFormatException {
    RtspDecoder decoder = new RtspDecoder(10, 10);
    ByteBuf in = Unpooled.buffer().writeBytes(ascii("\r\n".repeat(5)));
    assertThat(decoder.decode(in)).isNull();
    assertThat(in.readerIndex()).isZero();
    in.writeByte('\n');
    assertThatThrownBy(() -> decoder.decode(in)).hasMessageContaining("CR/LF");
  }

  @Test
  void bodyExactlyAtTheLimitAndOneOver() throws RtspFormatException {
    int body = GET_PARAMETER_BODY.length();
    RtspRequest atLimit = (RtspRequest) decodeInPieces(new RtspDecoder(4096, body), ascii(FFMPEG_GET_PARAMETER), 5)
        .get(0);
    assertThat(atLimit.body()).hasSize(body);
    assertRefused(new RtspDecoder(4096, body - 1), FFMPEG_GET_PARAMETER, 400,
        "Content-Length " + body + " over " + (body - 1));
  }

  private static String withHeaders(int count) {
    StringBuilder request = new StringBuilder("OPTIONS * RTSP/1.0\r\n");
    for (int i = 0; i < count; i++) {
      request.append("X-").append(i).append(": ").append(i).append("\r\n");
    }
    return request.append("\r\n").toString();
  }

  @Test
  void sixtyFourHeadersAndOneMore() throws RtspFormatException {
    assertThat(only(withHeaders(64)).headers()).hasSize(64);
    assertRefused(withHeaders(65), "more than 64 headers");
  }

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(() -> new RtspDecoder(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RtspDecoder(1, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void requestsWithEqualContentAreEqual() {
    RtspRequest a = new RtspRequest("OPTIONS", "*", 1, Map.of("CSeq", "1"), new byte[] {1});
    RtspRequest b = new RtspRequest("OPTIONS", "*", 1, Map.of("cseq", "1"), new byte[] {1});
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.header("CSEQ")).isEqualTo("1");
  }

  /** An interleaved frame on {@code channel} with {@code length} bytes of data. */
  private static void assertFrame(RtspMessage message, int channel, int length) {
    assertThat(message).isInstanceOf(InterleavedFrame.class);
    InterleavedFrame frame = (InterleavedFrame) message;
    assertThat(frame.channel()).isEqualTo(channel);
    assertThat(frame.length()).isEqualTo(length);
  }
}
