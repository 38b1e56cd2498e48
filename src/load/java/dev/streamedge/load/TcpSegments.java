package dev.streamedge.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data segments and bytes received by this machine's TCP connections to one port, summed from
 * ss(8) of iproute2 ({@code data_segs_in} and {@code bytes_received} of TCP_INFO). The load
 * generator's players are those connections, so this is what the server sent them: a server's cost
 * per viewer follows its segments far more than its bytes (bench/RESULTS.md).
 */
final class TcpSegments {

  /** What the connections had received when read: counters since each one opened. */
  record Count(long segments, long bytes) {

    Count minus(Count earlier) {
      return new Count(segments - earlier.segments, bytes - earlier.bytes);
    }
  }

  private static final Pattern SEGMENTS = Pattern.compile("\\bdata_segs_in:(\\d+)");
  private static final Pattern BYTES = Pattern.compile("\\bbytes_received:(\\d+)");

  private TcpSegments() {
  }

  /** Reads the counters, or empty when ss is missing or fails. Blocks for the ss run: not on an event loop. */
  static Optional<Count> toPort(int port) {
    try {
      Process ss = new ProcessBuilder(List.of("ss", "-tinH", "state", "established", "dport", "=", ":" + port))
          .redirectErrorStream(true).start();
      // ss writes its output and exits: reading to the end of the output is waiting for it.
      String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return ss.waitFor() == 0 ? Optional.of(parse(out)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Sums the counters of every connection in {@code ss -ti} output; ss leaves out a counter at zero. */
  static Count parse(String ssOutput) {
    return new Count(sum(SEGMENTS.matcher(ssOutput)), sum(BYTES.matcher(ssOutput)));
  }

  private static long sum(Matcher matcher) {
    long sum = 0;
    while (matcher.find()) {
      sum += Long.parseLong(matcher.group(1));
    }
    return sum;
  }
}
