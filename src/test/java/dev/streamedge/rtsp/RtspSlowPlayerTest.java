package dev.streamedge.rtsp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.TcpStates;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An RTSP player that stops reading costs only itself: with small socket buffers and {@code player.max-behind=2s},
 * a client that set up and played the stream and then reads nothing more has its connection closed by the server
 * once it is that far behind, while the stream goes on and an ffmpeg player of the same stream plays to its end.
 */
@Tag("e2e")
@Tag("timing")
class RtspSlowPlayerTest {

  @RegisterExtension
  static final TestNode node = TestNode.extension("--player.max-behind=2s", "--player.socket-send-buffer=16KiB",
      "--player.socket-write-buffer=16KiB");
  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void aPlayerThatStopsReadingIsClosedOnceMaxBehindWhileAnotherPlaysOn() throws Exception {
    processes.own(Clients.publishLooping("rtsp-slow-publisher", TestMedia.audioVideo(6, 1), node.rtmpUrl("slow")));
    node.awaitPublisher("slow");
    Process healthy = processes.own(Ffmpeg.start("rtsp-slow-healthy", List.of("-rtsp_transport", "tcp",
        "-i", node.rtspUrl("live", "slow"), "-t", "8", "-f", "null", "-")));
    try (Socket stalled = new Socket()) {
      stalled.setReceiveBufferSize(4096);
      stalled.setSoTimeout(10_000);
      stalled.connect(new InetSocketAddress("127.0.0.1", node.rtspPort()));
      String base = node.rtspUrl("live", "slow");
      assertThat(RawRtsp.exchange(stalled, "DESCRIBE " + base + " RTSP/1.0\r\nCSeq: 1\r\n\r\n"))
          .startsWith("RTSP/1.0 200");
      String setup = RawRtsp.exchange(stalled, "SETUP " + base + "/trackID=0 RTSP/1.0\r\nCSeq: 2\r\n"
          + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n");
      String session = setup.substring(setup.indexOf("Session: ") + 9).split("[;\r]", 2)[0];
      stalled.getOutputStream().write(("PLAY " + base + "/ RTSP/1.0\r\nCSeq: 3\r\nSession: " + session + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      long played = System.nanoTime();
      // Reads nothing more: the server's side stays open while the player may catch up, then is closed.
      Await.until("the server's close of a player that reads nothing", Duration.ofSeconds(20),
          () -> !serverSide(stalled).equals(Optional.of(TcpStates.ESTABLISHED)));
      assertThat((System.nanoTime() - played) / 1_000_000).as("ms from the PLAY to the close")
          .isBetween(1_500L, 12_000L);
    }
    Ffmpeg.awaitSuccess("rtsp-slow-healthy", healthy, 30);
    Await.until("no RTSP connection left", Duration.ofSeconds(15),
        () -> node.scrape().value("streamedge_rtsp_connections") == 0);
  }

  private static Optional<String> serverSide(Socket client) throws Exception {
    return TcpStates.of(node.rtspPort(), client.getLocalPort());
  }
}
