package dev.streamedge.rtmpt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.LogLines;
import dev.streamedge.testing.RtmptClient;
import dev.streamedge.testing.TestNode;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What idle RTMPT sessions cost: librtmp polls again the moment an answer comes, so an idle session's
 * request rate is what the server makes it (rtmpt.idle-wait); and a thousand sessions, each past its
 * handshake, hold a bounded, small amount of heap, with the thousand-and-first refused.
 */
@Tag("e2e")
@Tag("timing")
class RtmptIdleCostTest {

  private static final int SESSIONS = 1000;

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void idleRtmpdumpSessionMakesAtMostFiftyRequestsASecond() throws Exception {
    try (TestNode node = TestNode.start(); LogLines log = LogLines.capture()) {
      // A play of a stream nobody publishes: the session waits, with nothing to send either way.
      processes.own(new ProcessBuilder("rtmpdump", "--live", "--quiet", "-r", node.rtmptUrl("nobody"),
          "-o", "/dev/null")
          .redirectErrorStream(true)
          .redirectOutput(Clients.output("rtmpt-idle.log").toFile())
          .start());
      log.await("play \\S+ stream=live/nobody protocol=rtmpt", Duration.ofSeconds(10));
      double before = requests(node);
      long start = System.nanoTime();
      // A measurement window, not a wait for an event: the rate is requests over time.
      Thread.sleep(3000);
      double rate = (requests(node) - before) / ((System.nanoTime() - start) / 1e9);
      System.out.printf("idle rtmpdump RTMPT session: %.1f requests/s%n", rate);
      assertThat(rate).as("requests per second of an idle session").isBetween(2.0, 50.0);
      assertThat(node.rtmptSessions()).as("the session is alive, polling").isEqualTo(1);
    }
  }

  @Test
  void thousandHandshakenSessionsStayWithinTheirMemoryBound() throws Exception {
    try (TestNode node = TestNode.start("--rtmpt.max-sessions=" + SESSIONS, "--rtmp.handshake-timeout=5m",
        "--rtmpt.session-timeout=10m")) {
      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      long heapBefore = usedHeapAfterGc(memory);
      List<RtmptClient> connections = new ArrayList<>();
      try {
        for (int c = 0; c < 4; c++) {
          connections.add(new RtmptClient(node.httpPort()));
        }
        byte[] c0c1 = new byte[1537];
        c0c1[0] = 3;
        byte[] c2 = new byte[1536];
        for (int i = 0; i < SESSIONS; i++) {
          RtmptClient client = connections.get(i % connections.size());
          String id = client.open();
          ThreadLocalRandom.current().nextBytes(c2);
          RtmptClient.Answer s0s1s2 = client.post("/send/" + id + "/1", c0c1);
          assertThat(s0s1s2.body()).as("the polling byte, S0, S1 and S2").hasSize(1 + 1 + 1536 + 1536);
          assertThat(client.post("/send/" + id + "/2", c2).body()).as("nothing to send after C2").hasSize(1);
        }
        assertThat(node.rtmptSessions()).isEqualTo(SESSIONS);
        assertThat(connections.get(0).post("/open/1", new byte[] {0}).status()).as("the session past the bound")
            .isEqualTo(503);
        long perSession = (usedHeapAfterGc(memory) - heapBefore) / SESSIONS;
        System.out.printf("%d RTMPT sessions: %d bytes of heap each%n", SESSIONS, perSession);
        // What a session holds idle: its connection, chunk decoder and registry entries, not its bounds
        // (rtmpt.max-queued-bytes, rtmpt.max-request-body), which only traffic fills.
        assertThat(perSession).as("heap per idle session").isLessThan(32 * 1024);
      } finally {
        for (RtmptClient client : connections) {
          client.close();
        }
      }
    }
  }

  private static double requests(TestNode node) throws Exception {
    return node.scrape().value("streamedge_rtmpt_requests_total");
  }

  private static long usedHeapAfterGc(MemoryMXBean memory) throws InterruptedException {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
      least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
    }
    return least;
  }
}
