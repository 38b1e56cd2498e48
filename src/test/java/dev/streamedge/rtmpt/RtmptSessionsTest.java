package dev.streamedge.rtmpt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.LogLines;
import dev.streamedge.testing.RtmptClient;
import dev.streamedge.testing.TestNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The RTMPT session life cycle as the wire shows it: the answers librtmp can read, 404 for an unknown
 * session, held idles, the defined answer to a replayed sequence number, rtmpt.max-sessions, and
 * reaping of a session whose client died without /close.
 */
@Tag("e2e")
@Tag("timing")
class RtmptSessionsTest {

  @RegisterExtension
  static final TestNode node = TestNode.extension("--rtmpt.session-timeout=2s", "--rtmpt.max-sessions=4");
  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void answersCarryTheHeadLibrtmpReads() throws Exception {
    try (RtmptClient client = new RtmptClient(node.httpPort())) {
      RtmptClient.Answer ident = client.post("/fcs/ident2", new byte[] {0});
      assertThat(ident.status()).as("/fcs/ident2").isEqualTo(404);
      RtmptClient.Answer open = client.post("/open/1", new byte[] {0});
      // librtmp compares the first 13 bytes with "HTTP/1.1 200 " and looks for "Content-" then "length: ".
      assertThat(open.head()).startsWith("HTTP/1.1 200 ").contains("\r\nContent-Length: 33\r\n")
          .contains("\r\nContent-Type: application/x-fcs\r\n").doesNotContain("content-length");
      assertThat(open.text()).matches("[0-9a-f]{32}\n");
      String id = open.text().strip();
      long before = System.nanoTime();
      RtmptClient.Answer idle = client.post("/idle/" + id + "/2", new byte[] {0});
      long heldMillis = (System.nanoTime() - before) / 1_000_000;
      assertThat(idle.head()).startsWith("HTTP/1.1 200 ").contains("\r\nContent-Length: 1\r\n");
      assertThat(idle.body()).as("the polling byte alone: nothing to send").containsExactly(1);
      assertThat(heldMillis).as("an idle with nothing to send is held for rtmpt.idle-wait").isBetween(80L, 2000L);
      RtmptClient.Answer close = client.post("/close/" + id + "/3", new byte[] {0});
      assertThat(close.status()).isEqualTo(200);
      assertThat(client.post("/idle/" + id + "/4", new byte[] {0}).status()).as("after /close").isEqualTo(404);
    }
  }

  @Test
  void requestsOverOtherConnectionsReachTheSessionOnItsEventLoop() throws Exception {
    // The node has two event loops and hands new connections to them in turn: of four connections
    // after the one that opened the session, two land on the other loop, and their requests hop.
    try (RtmptClient opener = new RtmptClient(node.httpPort())) {
      String id = opener.open();
      byte[] c0c1 = new byte[1537];
      c0c1[0] = 3;
      byte[][] bodies = {c0c1, new byte[1536], {0}, {0}};
      String[] paths = {"/send/" + id + "/1", "/send/" + id + "/2", "/idle/" + id + "/3", "/close/" + id + "/4"};
      int[] sizes = {1 + 1 + 1536 + 1536, 1, 1, 1};
      for (int i = 0; i < paths.length; i++) {
        try (RtmptClient other = new RtmptClient(node.httpPort())) {
          RtmptClient.Answer answer = other.post(paths[i], bodies[i]);
          assertThat(answer.status()).as(paths[i]).isEqualTo(200);
          assertThat(answer.body()).as(paths[i]).hasSize(sizes[i]);
        }
      }
      assertThat(opener.post("/idle/" + id + "/5", new byte[] {0}).status()).as("after /close").isEqualTo(404);
    }
  }

  @Test
  void unknownSessionIsAnswered404WithOneLogLine() throws Exception {
    try (LogLines log = LogLines.capture(); RtmptClient client = new RtmptClient(node.httpPort())) {
      String id = "0123456789abcdef0123456789abcdef";
      assertThat(client.post("/send/" + id + "/1", "junk".getBytes(StandardCharsets.US_ASCII)).status())
          .isEqualTo(404);
      log.await("unknown session " + id, Duration.ofSeconds(5));
      assertThat(log.count(":" + client.localPort() + "\\b")).as("lines about this client").isEqualTo(1);
      // The connection stays usable: the client may go on with a session it does have.
      assertThat(client.post("/open/1", new byte[] {0}).status()).isEqualTo(200);
    }
  }

  @Test
  void replayedSequenceNumberIsRefusedAndClosesTheSession() throws Exception {
    try (LogLines log = LogLines.capture(); RtmptClient client = new RtmptClient(node.httpPort())) {
      String id = client.open();
      assertThat(client.post("/idle/" + id + "/5", new byte[] {0}).status()).isEqualTo(200);
      assertThat(client.post("/idle/" + id + "/5", new byte[] {0}).status()).as("replayed").isEqualTo(400);
      assertThat(client.post("/idle/" + id + "/6", new byte[] {0}).status()).as("after the replay").isEqualTo(404);
      log.await("disconnect 127.0.0.1:" + client.localPort() + " .*sequence number 5 after 5: replayed or out of order",
          Duration.ofSeconds(5));
    }
  }

  @Test
  void sessionsBeyondMaxSessionsAreRefusedUntilOneCloses() throws Exception {
    Await.until("no sessions left from other tests", Duration.ofSeconds(10), () -> node.rtmptSessions() == 0);
    try (RtmptClient client = new RtmptClient(node.httpPort())) {
      String first = client.open();
      for (int i = 1; i < 4; i++) {
        client.open();
      }
      assertThat(client.post("/open/1", new byte[] {0}).status()).as("open past rtmpt.max-sessions").isEqualTo(503);
      assertThat(client.post("/close/" + first + "/2", new byte[] {0}).status()).isEqualTo(200);
      assertThat(client.post("/open/1", new byte[] {0}).status()).as("open after a close").isEqualTo(200);
    }
    // The rest leave without /close: rtmpt.session-timeout reaps them.
    Await.until("the abandoned sessions reaped", Duration.ofSeconds(10), () -> node.rtmptSessions() == 0);
  }

  @Test
  void sessionWhoseClientDiedWithoutCloseIsReaped() throws Exception {
    double reapedBefore = node.scrape().value("streamedge_connections_refused_total", "reason", "session-timeout");
    Process player = processes.own(new ProcessBuilder("rtmpdump", "--live", "--quiet", "-r", node.rtmptUrl("dies"),
        "-o", Clients.output("rtmpt-dies.flv").toString())
        .redirectErrorStream(true)
        .redirectOutput(Clients.output("rtmpt-dies.log").toFile())
        .start());
    node.awaitSubscribers("dies", 1);
    assertThat(Http.get(node.httpUrl("/api/v1/clients")).body()).as("the API names the variant")
        .contains("\"protocol\":\"rtmpt\"");
    ChildProcesses.kill(player);
    Await.until("the session reaped", Duration.ofSeconds(10), () -> node.rtmptSessions() == 0);
    assertThat(Http.get(node.httpUrl("/api/v1/clients")).body()).as("the API after the reaping")
        .doesNotContain("\"protocol\":\"rtmpt\"");
    assertThat(node.scrape().value("streamedge_connections_refused_total", "reason", "session-timeout"))
        .isGreaterThan(reapedBefore);
  }
}
