package dev.streamedge.rtmpt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FrameHashes;
import dev.streamedge.testing.LogLines;
import dev.streamedge.testing.RtmptClient;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RTMPT clients that misbehave cost their own session only: garbage in a /send body closes that
 * session with one log line while another RTMPT viewer gets every packet, and a client that stops
 * fetching is cut as a slow player is, long before its session would time out.
 */
@Tag("e2e")
@Tag("timing")
class RtmptHostileClientsTest {

  @RegisterExtension
  static final TestNode node = TestNode.extension("--player.max-behind=2s", "--rtmpt.session-timeout=1m");
  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void garbageInASendBodyClosesThatSessionOnlyWithOneLogLine() throws Exception {
    Path media = TestMedia.audioVideo(6, 1);
    String key = "garbage";
    Path out = Clients.output("rtmpt-undisturbed.framemd5");
    // ffmpeg 8's RTMPT client this time, Debian's in RtmptPublishPlayTest.
    Process viewer = processes.own(Clients.playToHashes("rtmpt-undisturbed", node.rtmptUrl(key), out));
    node.awaitSubscribers(key, 1);
    Process publisher = processes.own(Clients.publish("rtmpt-garbage-publisher", media, node.rtmpUrl(key)));
    node.awaitPublisher(key);
    try (LogLines log = LogLines.capture(); RtmptClient client = new RtmptClient(node.httpPort())) {
      String id = client.open();
      RtmptClient.Answer answer = client.post("/send/" + id + "/1",
          "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(answer.status()).as("the answer to the garbage: the session is gone").isEqualTo(404);
      String peer = "127.0.0.1:" + client.localPort() + "\\b";
      log.await("disconnect " + peer + " protocol=rtmpt ", Duration.ofSeconds(5));
      Ffmpeg.awaitSuccess("rtmpt-garbage-publisher", publisher, 60);
      Ffmpeg.awaitSuccess("rtmpt-undisturbed", viewer, 20);
      assertThat(log.count(peer)).as("log lines about the garbage sender").isEqualTo(1);
    }
    FrameHashes published = FrameHashes.ofFile(media);
    FrameHashes received = FrameHashes.parse(out);
    assertThat(received.video()).as("the other viewer's video").isEqualTo(published.video());
    assertThat(received.audio()).as("the other viewer's audio").isEqualTo(published.audio());
  }

  @Test
  void clientThatStopsFetchingIsCutAsASlowPlayer() throws Exception {
    String key = "stalled";
    processes.own(Clients.publishLooping("rtmpt-stalled-publisher", TestMedia.fiveMegabit(4), node.rtmpUrl(key)));
    node.awaitPublisher(key);
    try (LogLines log = LogLines.capture()) {
      Process player = processes.own(new ProcessBuilder("rtmpdump", "--live", "--quiet", "-r", node.rtmptUrl(key),
          "-o", "/dev/null")
          .redirectErrorStream(true)
          .redirectOutput(Clients.output("rtmpt-stalled.log").toFile())
          .start());
      // Not the stream's subscriber count: its HLS packager, which started with the publish, is one.
      log.await("play \\S+ stream=live/" + key + " protocol=rtmpt", Duration.ofSeconds(10));
      signal("STOP", player);
      try {
        // player.max-behind (2 s) cuts it; rtmpt.session-timeout (1 min) would come much later.
        log.await("disconnect \\S+ protocol=rtmpt app=live reason=behind live for more than 2000 ms",
            Duration.ofSeconds(20));
        Await.until("the stalled session closed", Duration.ofSeconds(5), () -> node.rtmptSessions() == 0);
      } finally {
        signal("CONT", player);
      }
    }
  }

  @Test
  void drainingNodeLetsRtmptPlayersGoAndOpensNoNewSession() throws Exception {
    try (TestNode draining = TestNode.start("--shutdown.drain-time=3s"); LogLines log = LogLines.capture()) {
      String key = "drain";
      processes.own(Clients.publishLooping("rtmpt-drain-publisher", TestMedia.audioVideo(4, 1), draining.rtmpUrl(key)));
      draining.awaitPublisher(key);
      Process player = processes.own(new ProcessBuilder("rtmpdump", "--live", "--quiet", "-r", draining.rtmptUrl(key),
          "-o", "/dev/null")
          .redirectErrorStream(true)
          .redirectOutput(Clients.output("rtmpt-drain.log").toFile())
          .start());
      log.await("play \\S+ stream=live/" + key + " protocol=rtmpt", Duration.ofSeconds(10));
      draining.node().shutdown();
      try (RtmptClient client = new RtmptClient(draining.httpPort())) {
        assertThat(client.post("/open/1", new byte[] {0}).status()).as("a new session while draining").isEqualTo(503);
      }
      // Told the stream is unpublished and let go at once, as an RTMP player is; librtmp then ends.
      log.await("disconnect \\S+ protocol=rtmpt app=live reason=server shutting down", Duration.ofSeconds(3));
      assertThat(player.waitFor(5, TimeUnit.SECONDS)).as("rtmpdump ended").isTrue();
      Await.until("no RTMPT session left", Duration.ofSeconds(2), () -> draining.rtmptSessions() == 0);
    }
  }

  private static void signal(String name, Process process) throws Exception {
    assertThat(new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start().waitFor())
        .as("kill -" + name).isZero();
  }
}
