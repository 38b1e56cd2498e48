package dev.streamedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.LlPlaylist;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 18 point 4: a node holds 10,000 parked LL-HLS requests (blocking playlist reloads, each on a
 * connection of its own, from Node's HTTP client in another process) with no thread per request and
 * little memory; the next one gets 503 at {@code hls.max-blocked-requests}; the node serves other
 * requests meanwhile; and when the stream goes on, every parked request gets its playlist.
 *
 * <p>The stream is held still while the requests are parked: the publisher (ffmpeg) is stopped with
 * SIGSTOP, and the playlist's target is 6 s, so that the node's 503 for a stalled stream (three target
 * durations) comes long after the 10,000 are in. SIGCONT lets it go on.
 */
@Tag("e2e")
class LowLatencyHlsParkedRequestsTest {

  private static final int PARKED = 10_000;
  private static final Path SCRIPT = Path.of("src", "test", "hls-check", "park.mjs");

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void tenThousandParkedRequestsCostNoThreadAndAreAllAnsweredWhenThePartComes() throws Exception {
    try (TestNode node = TestNode.start("--hls.max-blocked-requests=" + PARKED,
        "--http.max-connections=" + (PARKED + 50), "--hls.target-duration=6s", "--hls-sessions.timeout=20s")) {
      Process publisher = processes.own(Clients.publishLooping("parked-publisher", TestMedia.audioVideo(20, 1),
          node.rtmpUrl("parked")));
      node.awaitPublisher("parked");
      String base = node.httpUrl("/hls/live/parked/");
      Await.until("an LL-HLS playlist", Duration.ofSeconds(20), () -> Http.status(base + "ll.m3u8") == 200);

      signal(publisher, "STOP");
      // What was on its way gets packaged: the playlist then stays the same for three parts' time.
      String[] seen = {""};
      long[] changedAt = {System.nanoTime()};
      Await.until("the playlist to hold still", Duration.ofSeconds(10), () -> {
        String now = Http.get(base + "ll.m3u8").body();
        if (!now.equals(seen[0])) {
          seen[0] = now;
          changedAt[0] = System.nanoTime();
        }
        return System.nanoTime() - changedAt[0] > Duration.ofMillis(600).toNanos();
      });
      LlPlaylist still = LlPlaylist.parse(seen[0]);
      String next = base + "ll.m3u8?" + still.nextPartQuery();
      long threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
      long heapBefore = usedHeapAfterGc();

      Process parker = processes.own(new ProcessBuilder(System.getenv().getOrDefault("NODE", "node"),
          SCRIPT.toString(), next, String.valueOf(PARKED))
          .redirectError(Clients.output("park.log").toFile()).start());
      BufferedReader out = new BufferedReader(new InputStreamReader(parker.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("sent " + PARKED);
      Await.until("10,000 parked requests", Duration.ofSeconds(30),
          () -> node.scrape().value("streamedge_hls_blocked_requests") == PARKED);

      long threads = ManagementFactory.getThreadMXBean().getThreadCount();
      long heap = usedHeapAfterGc();
      long perRequest = (heap - heapBefore) / PARKED;
      String figures = "threads " + threadsBefore + " -> " + threads + ", heap after GC " + heapBefore / 1024
          + " -> " + heap / 1024 + " KiB (" + perRequest + " bytes per parked request and its connection)";
      System.out.println(PARKED + " parked LL-HLS requests: " + figures);
      Files.writeString(Path.of("target", "hls-parked-requests.txt"), figures + "\n");
      // No thread per request; the bound is loose, the figure is in the file above.
      assertThat(threads - threadsBefore).as(figures).isLessThan(20);
      assertThat(perRequest).as(figures).isLessThan(32 * 1024);

      // At the bound the next one is turned away at once; the rest of the node still answers.
      assertThat(Http.get(next + "&over=1").statusCode()).isEqualTo(503);
      assertThat(Http.get(base + "ll.m3u8").statusCode()).isEqualTo(200);
      assertThat(parker.isAlive()).as("parked requests answered while the stream stood still").isTrue();

      signal(publisher, "CONT");
      String result = out.readLine();
      assertThat(parker.waitFor(60, TimeUnit.SECONDS)).isTrue();
      JsonNode json = new ObjectMapper().readTree(result);
      System.out.println("after SIGCONT: " + result);
      assertThat(json.path("statuses").path("200").asInt()).as(result).isEqualTo(PARKED);
      Await.until("no request parked", Duration.ofSeconds(10),
          () -> node.scrape().value("streamedge_hls_blocked_requests") < PARKED);
    }
  }

  private static void signal(Process process, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -" + signal).isTrue();
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
