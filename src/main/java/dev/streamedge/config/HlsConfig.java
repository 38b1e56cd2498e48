package dev.streamedge.config;

import dev.streamedge.hls.HlsVariant;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * HLS packaging, done in the server from the live stream.
 *
 * @param targetDuration segments are cut at the first keyframe after this much media
 * @param playlistLength segments listed in the live playlist
 * @param keptSegments segments still served after they left the playlist
 * @param maxSegmentSize a segment is cut when it reaches this size
 * @param onDemandApps apps packaged only while requested: comma-separated names, * for all
 * @param idleTimeout on-demand packaging stops after no request for this long, and any packaging
 *     this long after the publisher left
 * @param firstSegmentWait how long a playlist request waits for a first segment; zero for no wait
 * @param partTarget the LL-HLS part target (RFC 8216bis EXT-X-PART-INF)
 * @param maxBlockedRequests LL-HLS requests a node holds parked (blocking reloads, preload hints)
 * @param variant what the seed URLs serve, per app: a variant name for all, or {@code app=variant}
 *     items with {@code *} for the other apps (see {@link #parseVariants})
 * @param segmentFiles a directory (a tmpfs) MPEG-TS segments are written to, to be sent with
 *     {@code sendfile}; "" to send them from memory
 * @param dash whether the same segments are served as MPEG-DASH too (each track alone, under /dash/)
 * @param keys apps whose MPEG-TS segments are encrypted with AES-128: comma-separated names, * for all, "" for none
 * @param fragmentsPerKey segments encrypted with one key before a new one; 0 for one key per packaging
 */
public record HlsConfig(Duration targetDuration, int playlistLength, int keptSegments, ByteSize maxSegmentSize,
    String onDemandApps, Duration idleTimeout, Duration firstSegmentWait, Duration partTarget,
    int maxBlockedRequests, String variant, String segmentFiles, boolean dash, String keys, int fragmentsPerKey) {

  /**
   * {@code hls.variant} read: the variant of each app it names, {@code *} for the others (the seed URLs
   * of an app it does not cover serve low-latency). Read it once; the seed URLs ask for every request.
   */
  public Map<String, HlsVariant> seedVariants() {
    Map<String, HlsVariant> variants = parseVariants(variant);
    return variants == null ? Map.of() : Map.copyOf(variants);
  }

  /**
   * Reads {@code hls.variant}: one variant name for every app, or {@code app=variant} items separated by
   * commas, {@code *} standing for the others (which are low-latency without it); null when malformed.
   */
  public static Map<String, HlsVariant> parseVariants(String text) {
    Map<String, HlsVariant> variants = new HashMap<>();
    if (HlsVariant.byConfigName(text) != null) {
      variants.put("*", HlsVariant.byConfigName(text));
      return variants;
    }
    for (String item : text.split(",", -1)) {
      String[] parts = item.split("=", -1);
      if (parts.length != 2 || !parts[0].matches("\\*|[A-Za-z0-9._~-]+") || variants.containsKey(parts[0])
          || HlsVariant.byConfigName(parts[1]) == null) {
        return null;
      }
      variants.put(parts[0], HlsVariant.byConfigName(parts[1]));
    }
    return variants;
  }

  /** Whether {@code app} is packaged only while requested, rather than from publish start. */
  public boolean onDemand(String app) {
    return listed(onDemandApps, app);
  }

  /** Whether {@code app}'s HLS is encrypted ({@code hls.keys}). */
  public boolean encrypted(String app) {
    return listed(keys, app);
  }

  private static boolean listed(String apps, String app) {
    return apps.equals("*") || Arrays.asList(apps.split(",")).contains(app);
  }
}
