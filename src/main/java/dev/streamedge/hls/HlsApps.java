package dev.streamedge.hls;

import dev.streamedge.config.HlsConfig;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * What the configuration says of each app's HLS, read once: the form its seed URLs serve ({@code hls.variant})
 * and whether its segments are encrypted ({@code hls.keys}). Both are asked at every HLS and DASH request, and
 * reading the lists each time split them anew (arrays and strings per LL-HLS part request).
 */
final class HlsApps {

  private final Map<String, HlsVariant> seedVariants;
  private final Set<String> encryptedApps;
  private final boolean allEncrypted;

  HlsApps(HlsConfig config) {
    this.seedVariants = config.seedVariants();
    this.allEncrypted = config.keys().equals("*");
    this.encryptedApps = config.keys().isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(config.keys().split(",")));
  }

  /** What the seed URLs of {@code app} serve. */
  HlsVariant seedVariant(String app) {
    HlsVariant chosen = seedVariants.get(app);
    return chosen != null ? chosen : seedVariants.getOrDefault("*", HlsVariant.LOW_LATENCY);
  }

  boolean encrypted(String app) {
    return allEncrypted || !encryptedApps.isEmpty() && encryptedApps.contains(app);
  }
}
