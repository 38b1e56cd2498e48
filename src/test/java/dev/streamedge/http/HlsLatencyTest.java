package dev.streamedge.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.Clients;
import dev.streamedge.testing.Http;
import dev.streamedge.testing.TestMedia;
import dev.streamedge.testing.TestNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Publish-to-playable delay of HLS with 1 s segments: for every segment, the time from its first frame
 * reaching the server (its EXT-X-PROGRAM-DATE-TIME, the server's wall clock) to the segment being
 * listed in the playlist (polled every 20 ms). The first frame of a segment waits the longest, so this
 * is the worst case of any frame. Loopback, same machine, so one clock. The figures are written to
 * target/hls-latency.txt and quoted in docs/benchmarks.md.
 */
@Tag("e2e")
@Tag("timing")
class HlsLatencyTest {

  private static final Pattern SEGMENT =
      Pattern.compile("#EXT-X-PROGRAM-DATE-TIME:(\\S+)\\s*\\n#EXTINF:[0-9.]+,\\s*\\n(\\S+)");

  @Test
  void segmentsAreListedWithinThreeSecondsOfTheirFirstFrame() throws Exception {
    try (TestNode node = TestNode.start("--hls.target-duration=1s", "--hls.variant=mpegts"); ChildProcesses processes = new ChildProcesses()) {
      Process publisher = processes.own(Clients.publish("hls-latency-publisher", TestMedia.audioVideo(20, 1),
          node.rtmpUrl("latency")));
      node.awaitPublisher("latency");
      String playlist = node.httpUrl("/hls/latency.m3u8");
      Set<String> seen = new HashSet<>();
      List<Long> delays = new ArrayList<>();
      long until = System.nanoTime() + Duration.ofSeconds(16).toNanos();
      boolean first = true;
      while (System.nanoTime() < until) {
        HttpResponse<String> response = Http.get(playlist);
        long now = System.currentTimeMillis();
        if (response.statusCode() == 200) {
          Matcher m = SEGMENT.matcher(response.body());
          while (m.find()) {
            // Segments listed at the first poll were made before we looked: their delay is unknown.
            if (seen.add(m.group(2)) && !first) {
              delays.add(now - Instant.parse(m.group(1)).toEpochMilli());
            }
          }
          first = false;
        }
        // The polling interval of this measurement: how finely the listing time is known.
        Thread.sleep(20);
      }
      ChildProcesses.stop(publisher);
      assertThat(delays).as("segments timed").hasSizeGreaterThanOrEqualTo(8);
      List<Long> sorted = delays.stream().sorted().toList();
      long p50 = sorted.get(sorted.size() / 2);
      long max = sorted.get(sorted.size() - 1);
      Files.writeString(Path.of("target", "hls-latency.txt"), "segments=" + sorted.size() + " p50_ms=" + p50
          + " max_ms=" + max + " all_ms=" + delays + "\n");
      assertThat(max).as("worst publish-to-playable delay, ms " + delays).isLessThan(3000);
    }
  }
}
