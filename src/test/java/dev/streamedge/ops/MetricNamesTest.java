package dev.streamedge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.metrics.Metrics;
import dev.streamedge.metrics.Refusal;
import dev.streamedge.session.Protocol;
import dev.streamedge.testing.Prometheus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * streamedge's own metrics follow the Prometheus naming conventions, carry only labels with a fixed
 * set of values, and are exactly the ones docs/metrics.md documents.
 */
@Tag("unit")
class MetricNamesTest {

  private static final Pattern DOCUMENTED_NAME = Pattern.compile("streamedge_[a-z_]+[a-z]");

  /** The label of the one push relay target the scrape has meters of. */
  private static final String TARGET = "rtmp://127.0.0.1:1936/live";
  /** The label of the one pull source the scrape has meters of. */
  private static final String SOURCE = "http://origin.example/live";

  /**
   * A scrape of every meter, the cluster, RTMPT, relay and transcode ones included, as a clustered edge
   * node with one relay.push target and one relay.pull source registers them.
   */
  private static Prometheus scrapeOfEveryMeter() {
    Metrics metrics = Metrics.prometheus();
    metrics.relay(TARGET);
    metrics.pull(SOURCE);
    metrics.liveStreams(() -> 0);
    metrics.clusterMembers(() -> 1);
    metrics.edgePulls(() -> 0);
    metrics.rtmpt(() -> 0);
    metrics.pullsOnDemand(() -> 0);
    metrics.vodPlays(() -> 0);
    metrics.transcode().gauges(() -> 0, () -> 0, () -> 0);
    metrics.exec().processes(() -> 0);
    metrics.srt().connections(() -> 0);
    metrics.rtspConnections(() -> 0);
    metrics.hls().blockedRequests(new AtomicInteger());
    return Prometheus.parse(metrics.scrape().orElseThrow());
  }

  /** streamedge's metric families, with their types. */
  private static Map<String, String> families(Prometheus scrape) {
    Map<String, String> types = new TreeMap<>(scrape.types());
    types.keySet().removeIf(name -> !name.startsWith("streamedge_"));
    return types;
  }

  @Test
  void namesFollowPrometheusConventionsAndLabelsAreBounded() {
    Prometheus scrape = scrapeOfEveryMeter();
    Set<String> protocols = Arrays.stream(Protocol.values()).map(Protocol::label).collect(Collectors.toSet());
    Set<String> reasons = Arrays.stream(Refusal.values()).map(Refusal::label).collect(Collectors.toSet());

    families(scrape).forEach((name, type) -> {
      assertThat(name).as("snake case").matches("streamedge(_[a-z]+)+");
      if (type.equals("counter")) {
        assertThat(name).as("a counter").endsWith("_total");
      } else {
        assertThat(name).as("not a counter").doesNotEndWith("_total");
      }
      if (name.contains("bytes")) {
        assertThat(name).as("bytes as the unit, last before _total").endsWith("_bytes_total");
      }
      String sample = type.equals("histogram") ? name + "_bucket" : name;
      for (Map<String, String> labels : scrape.labelSets(sample)) {
        assertThat(labels.keySet()).as(name).isSubsetOf("protocol", "reason", "target", "source", "le");
        if (labels.containsKey("target")) {
          // One value per relay.push target of the config, never per stream.
          assertThat(labels.get("target")).as(name).isEqualTo(TARGET);
        }
        if (labels.containsKey("source")) {
          // One value per relay.pull item or template of the config, never per stream.
          assertThat(labels.get("source")).as(name).isEqualTo(SOURCE);
        }
        if (labels.containsKey("protocol")) {
          assertThat(protocols).as(name).contains(labels.get("protocol"));
        }
        if (labels.containsKey("reason")) {
          assertThat(reasons).as(name).contains(labels.get("reason"));
        }
      }
    });
    assertThat(families(scrape)).containsEntry("streamedge_player_first_frame_seconds", "histogram");
    assertThat(scrape.labelSets("streamedge_connections_refused_total"))
        .containsExactlyInAnyOrder(Map.of("reason", "auth"), Map.of("reason", "limit"), Map.of("reason", "address-limit"),
            Map.of("reason", "header-timeout"), Map.of("reason", "body-timeout"), Map.of("reason", "idle-timeout"),
            Map.of("reason", "message-size"), Map.of("reason", "incomplete-budget"),
            Map.of("reason", "partial-message-timeout"), Map.of("reason", "publish-or-play-timeout"),
            Map.of("reason", "takeover"), Map.of("reason", "handshake-timeout"), Map.of("reason", "bad-input"),
            Map.of("reason", "session-timeout"));
  }

  @Test
  void theMetricsPageDocumentsExactlyTheMetricsANodeServes() throws Exception {
    Map<String, String> families = families(scrapeOfEveryMeter());
    String page = Files.readString(Path.of("docs/metrics.md"));
    Set<String> documented = new TreeSet<>();
    Matcher m = DOCUMENTED_NAME.matcher(page);
    while (m.find()) {
      // A query may use a histogram's series (_bucket, _count, _sum): they belong to its family.
      String family = m.group().replaceFirst("_(bucket|count|sum)$", "");
      documented.add("histogram".equals(families.get(family)) ? family : m.group());
    }
    assertThat(documented).isEqualTo(new TreeSet<>(families.keySet()));
  }
}
