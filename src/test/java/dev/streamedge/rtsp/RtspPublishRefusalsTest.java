package dev.streamedge.rtsp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.stream.StreamKey;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an RTSP publisher is refused, and that nothing else is touched: an ANNOUNCE that is not SDP is 415, an SDP
 * that does not parse 400; a publish without its key 403 (with it, ffmpeg publishes); RTP over UDP 461 and a RECORD
 * before any SETUP 455; a second publisher of a live key under {@code stream.publish-policy=reject} 403 at RECORD;
 * a publisher that sends nothing after RECORD is closed after {@code rtsp.idle-timeout}; garbage in its interleaved
 * frames (RTP that does not parse, RTCP that is no report, channels never set up) ends nothing.
 */
@Tag("e2e")
@Tag("timing")
class RtspPublishRefusalsTest {

  /** ffmpeg 8's SDP for TestMedia's H.264 and AAC, as its ANNOUNCE carries it. */
  static final String SDP = String.join("\r\n", "v=0", "o=- 0 0 IN IP4 127.0.0.1", "s=No Name",
      "c=IN IP4 127.0.0.1", "t=0 0", "a=tool:libavformat 62.3.100", "m=video 0 RTP/AVP 96",
      "a=rtpmap:96 H264/90000",
      "a=fmtp:96 packetization-mode=1; sprop-parameter-sets=Z2QAHqzZQKAv+XARAAADAAEAAAMAMg8WLZY=,aOvjyyLA;"
          + " profile-level-id=64001E",
      "a=control:streamid=0", "m=audio 0 RTP/AVP 97", "a=rtpmap:97 MPEG4-GENERIC/44100/2",
      "a=fmtp:97 profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3; config=1210",
      "a=control:streamid=1", "");

  @RegisterExtension
  static final TestNode node = TestNode.extension("--rtsp.idle-timeout=2s", "--stream.publish-policy=reject",
      "--auth.publish=keyed=keys", "--auth.publish-keys=k1");
  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void anAnnounceThatIsNotSdpIs415AndAnSdpThatDoesNotParseIs400() throws Exception {
    try (Socket socket = connect()) {
      assertThat(RawRtsp.exchange(socket, announce("live/notsdp", "text/plain", "hello"))).startsWith("RTSP/1.0 415 ");
      assertThat(RawRtsp.exchange(socket, announce("live/notsdp", "application/sdp", "m=video x\r\n")))
          .startsWith("RTSP/1.0 400 ");
      // The connection goes on: a valid ANNOUNCE after the refusals is answered.
      assertThat(RawRtsp.exchange(socket, announce("live/notsdp", "application/sdp", SDP))).startsWith("RTSP/1.0 200 ");
    }
  }

  @Test
  void aPublishWithoutItsKeyIs403AndWithItFfmpegPublishes() throws Exception {
    try (Socket socket = connect()) {
      assertThat(RawRtsp.exchange(socket, announce("keyed/cam", "application/sdp", SDP))).startsWith("RTSP/1.0 403 ");
      assertThat(RawRtsp.exchange(socket, announce("keyed/cam?key=k2", "application/sdp", SDP)))
          .startsWith("RTSP/1.0 403 ");
    }
    processes.own(Ffmpeg.start("rtsp-keyed-publisher", List.of("-re", "-stream_loop", "-1",
        "-i", TestMedia.audioVideo(6, 1).toString(), "-c", "copy", "-f", "rtsp", "-rtsp_transport", "tcp",
        url("keyed/cam?key=k1"))));
    Await.until("the keyed stream live", Duration.ofSeconds(20),
        () -> node.node().registry().isLive(new StreamKey("keyed", "cam")));
  }

  @Test
  void udpIs461AndARecordBeforeAnySetupIs455() throws Exception {
    try (Socket socket = connect()) {
      assertThat(RawRtsp.exchange(socket, announce("live/udp", "application/sdp", SDP))).startsWith("RTSP/1.0 200 ");
      assertThat(RawRtsp.exchange(socket, "RECORD " + url("live/udp") + " RTSP/1.0\r\nCSeq: 2\r\n\r\n"))
          .startsWith("RTSP/1.0 455 ");
      assertThat(RawRtsp.exchange(socket, "SETUP " + url("live/udp/streamid=0") + " RTSP/1.0\r\nCSeq: 3\r\n"
          + "Transport: RTP/AVP/UDP;unicast;client_port=5000-5001;mode=record\r\n\r\n")).startsWith("RTSP/1.0 461 ");
      assertThat(RawRtsp.exchange(socket, "SETUP " + url("live/udp/streamid=0") + " RTSP/1.0\r\nCSeq: 4\r\n"
          + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record\r\n\r\n")).startsWith("RTSP/1.0 200 ")
          .contains("Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record", "Session: ");
    }
  }

  @Test
  void aSecondPublisherOfALiveKeyUnderRejectIs403AtRecord() throws Exception {
    processes.own(Clients.publishLooping("rtsp-taken-publisher", TestMedia.audioVideo(6, 1), node.rtmpUrl("taken")));
    node.awaitPublisher("taken");
    try (Socket socket = connect()) {
      String session = recordReady(socket, "live/taken");
      assertThat(RawRtsp.exchange(socket, "RECORD " + url("live/taken") + " RTSP/1.0\r\nCSeq: 9\r\nSession: "
          + session + "\r\n\r\n")).startsWith("RTSP/1.0 403 ");
    }
    assertThat(node.node().registry().isLive(new StreamKey("live", "taken"))).as("the first publisher goes on").isTrue();
  }

  @Test
  void aPublisherThatSendsNothingIsClosedAfterTheIdleTimeoutAndGarbageEndsNothing() throws Exception {
    try (Socket socket = connect()) {
      String session = recordReady(socket, "live/garbage");
      assertThat(RawRtsp.exchange(socket, "RECORD " + url("live/garbage") + " RTSP/1.0\r\nCSeq: 9\r\nSession: "
          + session + "\r\n\r\n")).startsWith("RTSP/1.0 200 ");
      Await.until("the RTSP publisher counted", Duration.ofSeconds(5),
          () -> node.scrape().value("streamedge_publishers", "protocol", "rtsp") == 1);
      // Three seconds of garbage on the set-up channels and others: it is read, counted and dropped.
      Random random = new Random();
      OutputStream out = socket.getOutputStream();
      for (int i = 0; i < 30; i++) {
        byte[] data = new byte[1 + random.nextInt(1400)];
        random.nextBytes(data);
        if (i % 3 == 0) {
          data[0] = (byte) 0x80; // version 2: past the first check
        }
        out.write(new byte[] {'$', (byte) (i % 5), (byte) (data.length >> 8), (byte) data.length});
        out.write(data);
        out.flush();
        Thread.sleep(100);
      }
      assertThat(RawRtsp.exchange(socket, "GET_PARAMETER " + url("live/garbage") + " RTSP/1.0\r\nCSeq: 10\r\nSession: "
          + session + "\r\n\r\n")).as("still answered after the garbage").startsWith("RTSP/1.0 200 ");
      long silentFrom = System.nanoTime();
      assertThat(RawRtsp.closedByServer(socket)).as("closed once it sends nothing").isTrue();
      long millis = (System.nanoTime() - silentFrom) / 1_000_000;
      assertThat(millis).as("closed after rtsp.idle-timeout, looked at once per timeout").isBetween(1500L, 6000L);
    }
    Await.until("the publish ended", Duration.ofSeconds(5),
        () -> node.scrape().value("streamedge_publishers", "protocol", "rtsp") == 0);
  }

  /** ANNOUNCE and SETUP of both tracks over TCP; the session id. */
  private static String recordReady(Socket socket, String path) throws IOException {
    assertThat(RawRtsp.exchange(socket, announce(path, "application/sdp", SDP))).startsWith("RTSP/1.0 200 ");
    String first = RawRtsp.exchange(socket, "SETUP " + url(path + "/streamid=0") + " RTSP/1.0\r\nCSeq: 3\r\n"
        + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record\r\n\r\n");
    assertThat(first).startsWith("RTSP/1.0 200 ");
    int at = first.indexOf("Session: ") + 9;
    String session = first.substring(at, first.indexOf(';', at));
    assertThat(RawRtsp.exchange(socket, "SETUP " + url(path + "/streamid=1") + " RTSP/1.0\r\nCSeq: 4\r\nSession: "
        + session + "\r\nTransport: RTP/AVP/TCP;unicast;interleaved=2-3;mode=record\r\n\r\n")).startsWith("RTSP/1.0 200 ");
    return session;
  }

  private static String announce(String path, String type, String body) {
    return "ANNOUNCE " + url(path) + " RTSP/1.0\r\nCSeq: 1\r\nContent-Type: " + type + "\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
  }

  private static String url(String path) {
    return "rtsp://127.0.0.1:" + node.rtspPort() + "/" + path;
  }

  private static Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", node.rtspPort());
    socket.setSoTimeout(10_000);
    return socket;
  }
}
