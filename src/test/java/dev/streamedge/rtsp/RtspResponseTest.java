package dev.streamedge.rtsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The exact bytes of the answers a play server gives (RFC 2326 §7), and the values it must never send. */
@Tag("unit")
class RtspResponseTest {

  private static String text(ByteBuf buf) {
    try {
      return buf.toString(StandardCharsets.UTF_8);
    } finally {
      buf.release();
    }
  }

  @Test
  void okWithHeadersAndABodyInOrder() {
    byte[] sdp = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII);
    String response = text(RtspResponse.encode(200, 2, List.of(
        Map.entry("Content-Base", "rtsp://127.0.0.1:8554/live/test/"),
        Map.entry("Content-Type", "application/sdp")), sdp));
    assertThat(response).isEqualTo("RTSP/1.0 200 OK\r\nCSeq: 2\r\n"
        + "Content-Base: rtsp://127.0.0.1:8554/live/test/\r\nContent-Type: application/sdp\r\n"
        + "Content-Length: " + sdp.length + "\r\n\r\n" + "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\n");
  }

  @Test
  void unsupportedTransportWithoutABody() {
    assertThat(text(RtspResponse.encode(461, 3, List.of(), new byte[0])))
        .isEqualTo("RTSP/1.0 461 Unsupported Transport\r\nCSeq: 3\r\n\r\n");
    assertThat(text(RtspResponse.encode(461, 3, List.of(), null)))
        .isEqualTo("RTSP/1.0 461 Unsupported Transport\r\nCSeq: 3\r\n\r\n");
  }

  @Test
  void noCseqWhenTheRequestHadNone() {
    assertThat(text(RtspResponse.encode(400, -1, List.of(), new byte[0]))).isEqualTo("RTSP/1.0 400 Bad Request\r\n\r\n");
    assertThat(text(RtspResponse.encode(505, -1, List.of(), new byte[0])))
        .isEqualTo("RTSP/1.0 505 RTSP Version not supported\r\n\r\n");
  }

  @Test
  void reasonPhrases() {
    Map<Integer, String> reasons = Map.ofEntries(Map.entry(200, "OK"), Map.entry(400, "Bad Request"),
        Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"),
        Map.entry(405, "Method Not Allowed"), Map.entry(454, "Session Not Found"),
        Map.entry(455, "Method Not Valid in This State"), Map.entry(459, "Aggregate Operation Not Allowed"),
        Map.entry(461, "Unsupported Transport"), Map.entry(500, "Internal Server Error"),
        Map.entry(501, "Not Implemented"), Map.entry(503, "Service Unavailable"),
        Map.entry(505, "RTSP Version not supported"), Map.entry(299, "Unknown"), Map.entry(999, "Unknown"));
    reasons.forEach((status, reason) -> assertThat(RtspResponse.reason(status)).as("" + status).isEqualTo(reason));
    assertThat(text(RtspResponse.encode(299, 0, List.of(), null))).isEqualTo("RTSP/1.0 299 Unknown\r\nCSeq: 0\r\n\r\n");
  }

  @Test
  void whatWouldSplitTheResponseIsAProgrammingError() {
    assertThatThrownBy(() -> RtspResponse.encode(200, 1, List.of(Map.entry("Session", "a\r\nX: y")), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RtspResponse.encode(200, 1, List.of(Map.entry("Session", "a\nb")), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RtspResponse.encode(200, 1, List.of(Map.entry("Bad Name", "a")), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RtspResponse.encode(200, 1, List.of(Map.entry("Content-Length", "3")), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RtspResponse.encode(200, 1, List.of(Map.entry("cseq", "3")), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RtspResponse.encode(99, 1, List.of(), null)).isInstanceOf(IllegalArgumentException.class);
  }
}
