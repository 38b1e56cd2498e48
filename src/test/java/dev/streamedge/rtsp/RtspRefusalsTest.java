package dev.streamedge.rtsp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.auth.SignedUrls;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an RTSP client is refused, and that a refusal touches nothing else: a stream that does not come live within
 * {@code rtsp.describe-timeout} is 404; a play without its signature 403 (with it, ffmpeg plays); RTP over UDP
 * alone 461; an ANNOUNCE whose SDP has no track to read 415; garbage and an oversized request 400 and the end of their connection
 * only, while a player on another connection goes on; a connection that sends nothing is closed after
 * {@code rtsp.idle-timeout}; one past {@code rtsp.max-connections} is closed at once.
 */
@Tag("e2e")
@Tag("timing")
class RtspRefusalsTest {

  private static final String SECRET = "an-rtsp-play-secret-of-thirty-two-chars";

  @RegisterExtension
  static final TestNode node = TestNode.extension("--rtsp.describe-timeout=1s", "--rtsp.idle-timeout=2s",
      "--rtsp.max-request-size=4KiB", "--rtsp.max-connections=6", "--auth.play=signed=sign",
      "--auth.play-secret=" + SECRET);
  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void aStreamThatIsNotLiveIsAnswered404AfterTheDescribeTimeout() throws Exception {
    try (Socket socket = connect()) {
      long start = System.nanoTime();
      String answer = RawRtsp.exchange(socket, "DESCRIBE " + url("live/nobody") + " RTSP/1.0\r\nCSeq: 2\r\n\r\n");
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(answer).startsWith("RTSP/1.0 404 ").contains("CSeq: 2");
      assertThat(millis).as("answered after rtsp.describe-timeout").isBetween(900L, 5000L);
      // The connection goes on: an OPTIONS after the refusal is answered.
      assertThat(RawRtsp.exchange(socket, "OPTIONS " + url("live/nobody") + " RTSP/1.0\r\nCSeq: 3\r\n\r\n"))
          .startsWith("RTSP/1.0 200 OK").contains("Public: OPTIONS, DESCRIBE, ANNOUNCE, SETUP, PLAY, RECORD");
    }
  }

  @Test
  void aPlayWithoutItsSignatureIs403AndWithItFfmpegPlays() throws Exception {
    processes.own(Clients.publishLooping("rtsp-signed-publisher", TestMedia.audioVideo(6, 1),
        "rtmp://127.0.0.1:" + node.rtmpPort() + "/signed/cam"));
    Await.until("the signed stream live", Duration.ofSeconds(20),
        () -> node.node().registry().isLive(new StreamKey("signed", "cam")));
    try (Socket socket = connect()) {
      assertThat(RawRtsp.exchange(socket, "DESCRIBE " + url("signed/cam") + " RTSP/1.0\r\nCSeq: 1\r\n\r\n"))
          .startsWith("RTSP/1.0 403 ");
      String forged = url("signed/cam?sign=4102444800-0000");
      assertThat(RawRtsp.exchange(socket, "DESCRIBE " + forged + " RTSP/1.0\r\nCSeq: 2\r\n\r\n"))
          .startsWith("RTSP/1.0 403 ");
    }
    String sign = SignedUrls.sign(SECRET, new StreamKey("signed", "cam"), System.currentTimeMillis() / 1000 + 600);
    Process player = processes.own(Ffmpeg.start("rtsp-signed-player", List.of("-rtsp_transport", "tcp",
        "-i", url("signed/cam?sign=" + sign), "-t", "2", "-f", "null", "-")));
    Ffmpeg.awaitSuccess("rtsp-signed-player", player, 30);
    assertThat(Ffmpeg.logTail("rtsp-signed-player")).contains("Video: h264");
  }

  @Test
  void udpAloneIs461AndAnAnnounceWithoutATrackToReadIs415() throws Exception {
    processes.own(Clients.publishLooping("rtsp-udp-publisher", TestMedia.audioVideo(6, 1),
        "rtmp://127.0.0.1:" + node.rtmpPort() + "/open/udp"));
    Await.until("the stream live", Duration.ofSeconds(20),
        () -> node.node().registry().isLive(new StreamKey("open", "udp")));
    try (Socket socket = connect()) {
      assertThat(RawRtsp.exchange(socket, "DESCRIBE " + url("open/udp") + " RTSP/1.0\r\nCSeq: 1\r\n\r\n"))
          .startsWith("RTSP/1.0 200 OK").contains("Content-Type: application/sdp", "m=video 0 RTP/AVP 96");
      assertThat(RawRtsp.exchange(socket, "SETUP " + url("open/udp/trackID=0") + " RTSP/1.0\r\nCSeq: 2\r\n"
          + "Transport: RTP/AVP;unicast;client_port=5000-5001\r\n\r\n")).startsWith("RTSP/1.0 461 ");
      assertThat(RawRtsp.exchange(socket, "SETUP " + url("open/udp/trackID=0") + " RTSP/1.0\r\nCSeq: 3\r\n"
          + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n")).startsWith("RTSP/1.0 200 OK")
          .contains("Transport: RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=", "Session: ");
      assertThat(RawRtsp.exchange(socket, "SETUP " + url("open/udp/trackID=1")
          + " RTSP/1.0\r\nCSeq: 4\r\nSession: 0\r\n"
          + "Transport: RTP/AVP/TCP;unicast;interleaved=2-3\r\n\r\n")).startsWith("RTSP/1.0 454 ");
    }
    try (Socket socket = connect()) {
      assertThat(RawRtsp.exchange(socket, "ANNOUNCE " + url("open/mine") + " RTSP/1.0\r\nCSeq: 1\r\n"
          + "Content-Type: application/sdp\r\nContent-Length: 5\r\n\r\nv=0\r\n")).startsWith("RTSP/1.0 415 ");
    }
  }

  @Test
  void garbageAndAnOversizedRequestCloseOnlyTheirConnection() throws Exception {
    processes.own(Clients.publishLooping("rtsp-bad-publisher", TestMedia.audioVideo(6, 1),
        "rtmp://127.0.0.1:" + node.rtmpPort() + "/open/bad"));
    Await.until("the stream live", Duration.ofSeconds(20),
        () -> node.node().registry().isLive(new StreamKey("open", "bad")));
    Process player = processes.own(Ffmpeg.start("rtsp-bad-bystander", List.of("-rtsp_transport", "tcp",
        "-i", url("open/bad"), "-t", "6", "-f", "null", "-")));
    Await.until("the bystander playing", Duration.ofSeconds(20),
        () -> node.scrape().value("streamedge_players", "protocol", "rtsp") >= 1);
    try (Socket socket = connect()) {
      assertThat(RawRtsp.exchange(socket, "HELLO\u0001 there\r\n\r\n")).startsWith("RTSP/1.0 400 ");
      assertThat(closedByServer(socket)).as("the garbage's connection is closed").isTrue();
    }
    try (Socket socket = connect()) {
      assertThat(RawRtsp.exchange(socket, "DESCRIBE " + url("open/bad") + " RTSP/2.0\r\nCSeq: 1\r\n\r\n"))
          .startsWith("RTSP/1.0 505 ");
    }
    try (Socket socket = connect()) {
      String huge = "OPTIONS " + url("open/bad") + " RTSP/1.0\r\nCSeq: 1\r\nX-Pad: " + "a".repeat(5000) + "\r\n\r\n";
      assertThat(RawRtsp.exchange(socket, huge)).startsWith("RTSP/1.0 400 ");
      assertThat(closedByServer(socket)).as("the oversized request's connection is closed").isTrue();
    }
    Ffmpeg.awaitSuccess("rtsp-bad-bystander", player, 30);
  }

  @Test
  void anIdleConnectionIsClosedAndOnePastTheLimitAtOnce() throws Exception {
    try (Socket idle = connect()) {
      long start = System.nanoTime();
      assertThat(closedByServer(idle)).as("an idle connection is closed").isTrue();
      assertThat((System.nanoTime() - start) / 1_000_000).as("after rtsp.idle-timeout").isBetween(1500L, 6000L);
    }
    Await.until("no RTSP connection", Duration.ofSeconds(15),
        () -> node.scrape().value("streamedge_rtsp_connections") == 0);
    Socket[] held = new Socket[6];
    try {
      for (int i = 0; i < held.length; i++) {
        held[i] = connect();
        assertThat(RawRtsp.exchange(held[i], "OPTIONS " + url("live/x") + " RTSP/1.0\r\nCSeq: 1\r\n\r\n"))
            .startsWith("RTSP/1.0 200 OK");
      }
      try (Socket past = connect()) {
        assertThat(closedByServer(past)).as("the seventh connection is closed").isTrue();
      }
      assertThat(RawRtsp.exchange(held[0], "OPTIONS " + url("live/x") + " RTSP/1.0\r\nCSeq: 2\r\n\r\n"))
          .as("the others go on").startsWith("RTSP/1.0 200 OK");
    } finally {
      for (Socket socket : held) {
        if (socket != null) {
          socket.close();
        }
      }
    }
  }

  private static String url(String path) {
    return "rtsp://127.0.0.1:" + node.rtspPort() + "/" + path;
  }

  private static Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", node.rtspPort());
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static boolean closedByServer(Socket socket) throws IOException {
    return RawRtsp.closedByServer(socket);
  }
}
