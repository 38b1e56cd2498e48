package dev.streamedge.rtsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The exact bytes of the requests a pulling client sends (RFC 2326 §6), that the server's own decoder reads them
 * back, and the values that would inject a header or break the request line.
 */
@Tag("unit")
class RtspRequestsTest {

  private static final String URL = "rtsp://192.168.1.64:554/Streaming/Channels/101";

  private static byte[] bytes(ByteBuf buf) {
    try {
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }

  private static String text(ByteBuf buf) {
    return new String(bytes(buf), StandardCharsets.US_ASCII);
  }

  @Test
  void describeWithHeadersInOrderAndNoBody() {
    ByteBuf request = RtspRequests.encode("DESCRIBE", URL, 2, List.of(Map.entry("Accept", "application/sdp"),
        Map.entry("User-Agent", "streamedge")), null);
    assertThat(bytes(request)).isEqualTo(("DESCRIBE " + URL + " RTSP/1.0\r\nCSeq: 2\r\nAccept: application/sdp\r\n"
        + "User-Agent: streamedge\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    assertThat(text(RtspRequests.encode("OPTIONS", "*", 0, List.of(), new byte[0])))
        .isEqualTo("OPTIONS * RTSP/1.0\r\nCSeq: 0\r\n\r\n");
  }

  @Test
  void aBodyGetsItsContentLengthAfterTheHeaders() {
    byte[] body = "packets_received\r\n".getBytes(StandardCharsets.US_ASCII);
    assertThat(text(RtspRequests.encode("GET_PARAMETER", URL + "/", 7, List.of(Map.entry("Session", "1185523457"),
        Map.entry("Content-Type", "text/parameters")), body)))
        .isEqualTo("GET_PARAMETER " + URL + "/ RTSP/1.0\r\nCSeq: 7\r\nSession: 1185523457\r\n"
            + "Content-Type: text/parameters\r\nContent-Length: 18\r\n\r\npackets_received\r\n");
  }

  @Test
  void whatItWritesTheServersDecoderReadsBack() throws RtspFormatException {
    byte[] body = {0, 1, 2, (byte) 0xff};
    ByteBuf request = RtspRequests.encode("SETUP", URL + "/trackID=1", 3,
        List.of(Map.entry("Transport", "RTP/AVP/TCP;unicast;interleaved=0-1")), body);
    RtspRequest read = (RtspRequest) new RtspDecoder(4096, 4096).decode(request);
    request.release();
    assertThat(read).isEqualTo(new RtspRequest("SETUP", URL + "/trackID=1", 3, Map.of("CSeq", "3",
        "Transport", "RTP/AVP/TCP;unicast;interleaved=0-1", "Content-Length", "4"), body));
  }

  @Test
  void whatWouldInjectAHeaderOrBreakTheRequestLineIsRefused() {
    List<Map.Entry<String, String>> none = List.of();
    assertRefused(() -> RtspRequests.encode("PLAY", URL + "\r\nX: y", 1, none, null));
    assertRefused(() -> RtspRequests.encode("PLAY", URL + "\n", 1, none, null));
    assertRefused(() -> RtspRequests.encode("PLAY", URL + " RTSP/1.0", 1, none, null));
    assertRefused(() -> RtspRequests.encode("PLAY", URL + "\u0000", 1, none, null));
    assertRefused(() -> RtspRequests.encode("PLAY", URL + "/caf\u00e9", 1, none, null));
    assertRefused(() -> RtspRequests.encode("PLAY", "", 1, none, null));
    assertRefused(() -> RtspRequests.encode("PLAY", null, 1, none, null));
    assertRefused(() -> RtspRequests.encode("PLAY\r\nX: y", URL, 1, none, null));
    assertRefused(() -> RtspRequests.encode("PL AY", URL, 1, none, null));
    assertRefused(() -> RtspRequests.encode("", URL, 1, none, null));
    assertRefused(() -> RtspRequests.encode(null, URL, 1, none, null));
    assertRefused(() -> RtspRequests.encode("PLAY", URL, -1, none, null));
    assertRefused(() -> header("Session", "1\r\nX: y"));
    assertRefused(() -> header("Session", "1\n"));
    assertRefused(() -> header("Session", "1\r"));
    assertRefused(() -> header("Session", "a\tb"));
    assertRefused(() -> header("Session", "a\u007fb"));
    assertRefused(() -> header("Session", "\u00e9"));
    assertRefused(() -> header("Session", null));
    assertRefused(() -> header("Bad Name", "1"));
    assertRefused(() -> header("X:", "1"));
    assertRefused(() -> header("X\r\nY", "1"));
    assertRefused(() -> header(null, "1"));
    assertRefused(() -> header("cseq", "4"));
    assertRefused(() -> header("Content-Length", "4"));
  }

  private static ByteBuf header(String name, String value) {
    return RtspRequests.encode("PLAY", URL, 1, List.of(new java.util.AbstractMap.SimpleEntry<>(name, value)), null);
  }

  private static void assertRefused(Runnable encode) {
    assertThatThrownBy(encode::run).isInstanceOf(IllegalArgumentException.class);
  }
}
