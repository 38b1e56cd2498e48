package dev.streamedge.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamedge.hls.HlsVariant;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The checks across {@code hls.*} and {@code hls-sessions.*} keys that no single key's {@link Rule} can make. */
final class HlsChecks {

  private HlsChecks() {
  }

  static void check(ObjectNode tree) {
    checkHlsSessionTimeout(tree);
    checkHlsKeys(tree);
  }

  /** A player reloads its playlist about once a target duration: a shorter timeout would end live sessions. */
  private static void checkHlsSessionTimeout(ObjectNode tree) {
    Duration target = Durations.parse(tree.at("/hls/target-duration").asText());
    JsonNode timeout = tree.at("/hls-sessions/timeout");
    if (Durations.parse(timeout.asText()).compareTo(target.multipliedBy(2)) < 0) {
      throw ConfigException.notAllowed("hls-sessions.timeout", ConfigLoader.shown(timeout),
          "at least twice hls.target-duration (" + Durations.format(target) + ")");
    }
  }

  /**
   * Encrypted HLS is MPEG-TS only: an app in {@code hls.keys} whose seed URLs served fMP4 or LL-HLS would serve
   * them in the clear, or not at all. With {@code *}, every app's variant is checked, the unnamed ones' too.
   */
  private static void checkHlsKeys(ObjectNode tree) {
    JsonNode keys = tree.at("/hls/keys");
    if (keys.asText().isEmpty()) {
      return;
    }
    Map<String, HlsVariant> variants = HlsConfig.parseVariants(tree.at("/hls/variant").asText());
    List<String> apps = keys.asText().equals("*") ? List.copyOf(variants.keySet()) : List.of(keys.asText().split(","));
    HlsVariant others = variants.getOrDefault("*", HlsVariant.LOW_LATENCY);
    if (keys.asText().equals("*") && others != HlsVariant.MPEGTS) {
      throw ConfigException.notAllowed("hls.keys", ConfigLoader.shown(keys), "apps whose hls.variant is mpegts (encrypted HLS is"
          + " MPEG-TS only), and apps hls.variant does not name serve " + others.configName());
    }
    for (String app : apps) {
      HlsVariant variant = variants.getOrDefault(app, others);
      if (variant != HlsVariant.MPEGTS) {
        throw ConfigException.notAllowed("hls.keys", ConfigLoader.shown(keys), "apps whose hls.variant is mpegts (encrypted HLS"
            + " is MPEG-TS only), and app " + app + " serves " + variant.configName());
      }
    }
  }
}
