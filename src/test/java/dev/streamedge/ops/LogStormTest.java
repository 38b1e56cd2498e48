package dev.streamedge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.NodeProcess;
import dev.streamedge.testing.RawRtmp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A connection storm must not turn into a log storm (issue 23, finding 7): each kind of line is
 * bounded by {@code log.max-lines-per-second}, and what is held back is counted in a "suppressed"
 * line, so that no event is lost without a trace.
 */
@Tag("e2e")
@Tag("timing")
class LogStormTest {

  private static final Duration STORM = Duration.ofSeconds(6);
  private static final int THREADS = 4;
  /** The default of log.max-lines-per-second. */
  private static final int LIMIT = 20;
  private static final Pattern SECOND = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d)");
  private static final Pattern SUPPRESSED = Pattern.compile("suppressed (\\d+) \"disconnect\" lines");

  @Test
  void aConnectionStormLogsAtMostTheLimitPerKindOfLineAndCountsTheRest() throws Exception {
    try (NodeProcess node = NodeProcess.single("log-storm")) {
      node.awaitLog("listening: ", Duration.ofSeconds(60));
      // The first handshake loads the digest code and the JCE; on a busy machine that can take seconds.
      Await.until("a first RTMP connect", Duration.ofSeconds(60), () -> {
        try (RawRtmp client = RawRtmp.connected(node.rtmpPort())) {
          return true;
        } catch (Exception | AssertionError e) {
          return false;
        }
      });
      Thread.sleep(1500);
      int linesBefore = node.log().split("\n").length;

      AtomicInteger connections = new AtomicInteger();
      AtomicInteger failures = new AtomicInteger();
      long end = System.nanoTime() + STORM.toNanos();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Thread thread = new Thread(() -> {
          while (System.nanoTime() < end) {
            try (RawRtmp client = RawRtmp.connected(node.rtmpPort())) {
              connections.incrementAndGet();
            } catch (Exception | AssertionError e) {
              failures.incrementAndGet();
            }
          }
        });
        thread.start();
        threads.add(thread);
      }
      for (Thread thread : threads) {
        thread.join();
      }
      int made = connections.get();

      // Every disconnect is in the log, as a line or in a summary's count.
      Await.until("every disconnect accounted for", Duration.ofSeconds(15),
          () -> disconnectsAccountedFor(node.log()) >= made);
      String[] lines = node.log().split("\n");
      List<String> storm = List.of(lines).subList(linesBefore, lines.length);
      Map<String, Integer> perSecond = new TreeMap<>();
      for (String line : storm) {
        Matcher m = SECOND.matcher(line);
        if (m.find()) {
          perSecond.merge(m.group(1), 1, Integer::sum);
        }
      }
      int busiest = perSecond.values().stream().mapToInt(Integer::intValue).max().orElse(0);
      long summaries = storm.stream().filter(line -> line.contains("suppressed")).count();
      System.out.printf("log storm: %d connections (%d failed) in %d s (%.0f/s), %d log lines, busiest second %d lines,"
              + " %d summary lines, disconnects accounted for %d%n", made, failures.get(), STORM.toSeconds(),
          made / (double) STORM.toSeconds(), storm.size(), busiest, summaries, disconnectsAccountedFor(node.log()));

      assertThat(made).as("connections in the storm").isGreaterThan(10 * LIMIT);
      // Two kinds of line (connect, disconnect), each at most the limit plus its summary, per second.
      assertThat(busiest).as("log lines in the busiest second").isLessThanOrEqualTo(2 * (LIMIT + 1));
      assertThat(summaries).as("suppressed-lines summaries").isPositive();
      assertThat(disconnectsAccountedFor(node.log())).as("disconnects logged or counted")
          .isGreaterThanOrEqualTo(made);
    }
  }

  /** Disconnect lines plus the counts of the disconnect summaries. */
  private static long disconnectsAccountedFor(String log) {
    long accounted = 0;
    for (String line : log.split("\n")) {
      Matcher m = SUPPRESSED.matcher(line);
      if (m.find()) {
        accounted += Long.parseLong(m.group(1));
      } else if (line.contains(" - disconnect ")) {
        accounted++;
      }
    }
    return accounted;
  }
}
