package dev.streamedge.load;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one load run measured, as printed for people ({@link #text}) and for scripts ({@link #json}).
 * Times are milliseconds, rates per second of the measurement window, GB are 10^9 bytes.
 * {@code keyframeLatencyMs} is the part of {@code latencyMs} that keyframes make up: one frame in a
 * GOP, but the largest, so it tells whether the tail of the latency is theirs.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record LoadReport(String target, Settings settings, Players players, Distribution connectMs,
    Distribution firstFrameMs, Distribution latencyMs, Distribution keyframeLatencyMs, Frames frames,
    Traffic traffic, Cpu loadGenerator, Joins joins, Server server, Machine machine,
    Map<String, ProtocolReport> byProtocol) {

  /** @param rtmpPlayUrl what the RTMP players played: the target, or the same stream on another node */
  record Settings(String rtmpPlayUrl, int rtmpPlayers, int httpFlvPlayers, int hlsPlayers, double prewarmSeconds,
      double rampPerSecond, double warmupSeconds, double windowSeconds, String flvFile) {
  }

  /**
   * The figures of the players of one protocol; the report's top level holds them for all players.
   *
   * @param framesReceived marked live frames received in the window
   */
  record ProtocolReport(Players players, Distribution connectMs, Distribution firstFrameMs, Distribution latencyMs,
      long framesReceived, long missing, long reordered, long publisherRestarts, Traffic traffic) {
  }

  /**
   * @param ok playing at the end, never disconnected, and got frames in the window
   * @param reasons up to five distinct reasons of failed or disconnected players
   */
  record Players(int requested, int playing, int ok, int failed, int disconnected, List<String> reasons) {
  }

  record Distribution(long count, double p50, double p90, double p99, double p999, double max) {
    static Distribution of(Histogram histogram) {
      return new Distribution(histogram.getTotalCount(), ms(histogram.getValueAtPercentile(50)),
          ms(histogram.getValueAtPercentile(90)), ms(histogram.getValueAtPercentile(99)),
          ms(histogram.getValueAtPercentile(99.9)), ms(histogram.getMaxValue()));
    }

    private static double ms(long micros) {
      return Math.round(micros / 10.0) / 100.0;
    }
  }

  /**
   * @param published frames the publisher marked and sent in the window
   * @param received marked live frames all players received in the window
   * @param missing frames a player never got between two it got, over the whole run
   * @param reordered frames that came after a later one (or twice), over the whole run
   * @param publisherRestarts times a player's marks started again from a lower sequence sent later than the
   *     last one: a new publisher of the stream (a previous run's), not reordering
   * @param publisherLateMaxMs the most a tag left after its time: the publisher's own pacing lag
   * @param publisherClosed why the server closed the publisher's connection during the run, if it did
   */
  record Frames(long published, long received, long missing, long reordered, long publisherRestarts,
      double publisherLateMaxMs,
      String publisherClosed) {
  }

  record Traffic(long bytes, double mbitPerSecond, double mbitPerSecondPerPlayer) {
  }

  /**
   * The players that joined after the window, for as long as it lasted, each until it had its first
   * frame: in none of the other figures.
   *
   * @param started joiners that had their first frame before they were closed
   */
  record Joins(double perSecond, int opened, int started, Distribution connectMs, Distribution firstFrameMs) {
  }

  /**
   * CPU time of a process in the window, and as cores busy on average.
   *
   * @param waitSeconds time its threads were ready to run but waited for a core
   */
  record Cpu(double cpuSeconds, double cores, double waitSeconds) {
  }

  /**
   * The whole machine in the window: everyone's use, this run's processes included.
   *
   * @param busyCores cores busy (or taken by the hypervisor) on average, of {@code cores}
   */
  record Machine(int cores, double busyCores) {
  }

  /**
   * The server's process tree, when its pid was given.
   *
   * @param systemSeconds the part of cpuSeconds spent in the kernel (stime): for a streaming server,
   *     mostly its socket writes, apart from its own code's time
   * @param cpuSecondsPerGb server CPU seconds per 10^9 bytes the players received
   * @param rssBeforePlayersBytes with the publisher on, before the first player
   * @param rssGrowthPerPlayerKib (end - before players) / players playing
   * @param waitSeconds time its threads were ready to run but waited for a core: when it is large, the
   *     server was short of CPU, and its latency says more about the machine than about it
   * @param jitSeconds the part of cpuSeconds spent by the JVM's JIT compiler threads (0 for a server that
   *     is no JVM): large while the JVM still compiles, so a short warm-up counts part of its start-up
   * @param rtmpSegments TCP data segments the RTMP players received in the window (by ss(8), all
   *     connections of this machine to the RTMP play port); null without RTMP players or without ss
   * @param segmentsPerRtmpPlayerPerSecond rtmpSegments per RTMP player playing, per second
   * @param bytesPerRtmpSegment the RTMP players' bytes per segment
   */
  record Server(long pid, double cpuSeconds, double systemSeconds, double cores, double cpuSecondsPerGb,
      long rssBeforePlayersBytes, long rssEndBytes, double rssGrowthPerPlayerKib, double waitSeconds,
      double jitSeconds, Long rtmpSegments, Double segmentsPerRtmpPlayerPerSecond, Double bytesPerRtmpSegment) {
  }

  String json() {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  String text() {
    StringBuilder out = new StringBuilder();
    line(out, "target          %s", target);
    if (!settings.rtmpPlayUrl().equals(target)) {
      line(out, "RTMP players of %s", settings.rtmpPlayUrl());
    }
    line(out, "players         %d requested (%d RTMP, %d HTTP-FLV, %d HLS), %d playing, %d ok, %d failed,"
        + " %d disconnected", players.requested(), settings.rtmpPlayers(), settings.httpFlvPlayers(),
        settings.hlsPlayers(), players.playing(), players.ok(), players.failed(), players.disconnected());
    for (String reason : players.reasons()) {
      line(out, "                  %s", reason);
    }
    line(out, "window          %.1f s after a %.1f s ramp (%.0f players/s) and %.1f s warmup",
        settings.windowSeconds(), players.requested() / settings.rampPerSecond(), settings.rampPerSecond(),
        settings.warmupSeconds());
    distribution(out, "connect", connectMs);
    distribution(out, "first frame", firstFrameMs);
    distribution(out, "latency", latencyMs);
    distribution(out, "  keyframes", keyframeLatencyMs);
    if (joins != null) {
      line(out, "joins after     %d opened (%.1f/s), %d had a first frame", joins.opened(), joins.perSecond(),
          joins.started());
      distribution(out, "  first frame", joins.firstFrameMs());
    }
    if (byProtocol.size() > 1) {
      byProtocol.forEach((protocol, figures) -> {
        line(out, "%s: %d ok of %d, %d frames, %d missing, %.3f Mbit/s per player", protocol, figures.players().ok(),
            figures.players().requested(), figures.framesReceived(), figures.missing(),
            figures.traffic().mbitPerSecondPerPlayer());
        distribution(out, "  first frame", figures.firstFrameMs());
        distribution(out, "  latency", figures.latencyMs());
      });
    }
    line(out, "frames          %d published, %d received, %d missing, %d reordered, %d publisher restarts seen;"
        + " publisher late at most %.1f ms", frames.published(), frames.received(), frames.missing(),
        frames.reordered(), frames.publisherRestarts(), frames.publisherLateMaxMs());
    if (frames.publisherClosed() != null) {
      line(out, "                publisher closed by the server: %s", frames.publisherClosed());
    }
    line(out, "traffic         %.1f MB, %.1f Mbit/s, %.3f Mbit/s per player", traffic.bytes() / 1e6,
        traffic.mbitPerSecond(), traffic.mbitPerSecondPerPlayer());
    line(out, "load generator  %.2f CPU s, %.2f cores, %.2f s waiting for a core", loadGenerator.cpuSeconds(),
        loadGenerator.cores(), loadGenerator.waitSeconds());
    if (server != null) {
      line(out, "server pid %d  %.2f CPU s (%.2f s in the kernel, %.2f s JIT compiling), %.2f cores, %.2f s"
          + " waiting for a core, %.2f CPU s/GB", server.pid(), server.cpuSeconds(), server.systemSeconds(),
          server.jitSeconds(), server.cores(), server.waitSeconds(), server.cpuSecondsPerGb());
      line(out, "server RSS      %.1f MB before players, %.1f MB at end, %.1f KiB per player",
          server.rssBeforePlayersBytes() / 1e6, server.rssEndBytes() / 1e6, server.rssGrowthPerPlayerKib());
      if (server.rtmpSegments() != null) {
        line(out, "server segments %d to RTMP players, %.1f per player per second, %.0f bytes each",
            server.rtmpSegments(), server.segmentsPerRtmpPlayerPerSecond(), server.bytesPerRtmpSegment());
      }
    }
    line(out, "machine         %.2f of %d cores busy (everyone's)", machine.busyCores(), machine.cores());
    return out.toString();
  }

  private static void distribution(StringBuilder out, String name, Distribution d) {
    line(out, "%-15s p50 %.2f ms, p90 %.2f, p99 %.2f, p99.9 %.2f, max %.2f (%d samples)", name, d.p50(), d.p90(),
        d.p99(), d.p999(), d.max(), d.count());
  }

  private static void line(StringBuilder out, String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
