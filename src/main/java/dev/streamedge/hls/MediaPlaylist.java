package dev.streamedge.hls;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** Renders a live media playlist (RFC 8216 §4.3) of MPEG-TS or fMP4 segments. */
final class MediaPlaylist {

  /** §4.3.2.6: ISO/IEC 8601:2004 date and time; always with milliseconds and in UTC. */
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private MediaPlaylist() {
  }

  /**
   * The playlist of {@code segments} (oldest first, at least one). No EXT-X-ENDLIST: the stream is
   * live. MPEG-TS: version 3 for decimal EXTINF durations (§7). fMP4: version 7 (EXT-X-MAP in a
   * playlist without EXT-X-I-FRAMES-ONLY needs 6, §4.3.2.5), and an EXT-X-MAP before the first
   * segment and wherever the init segment changes; init URIs are {@code init-<id>.mp4}.
   */
  static String render(List<HlsSegment> segments, int targetDurationSeconds, String segmentUriPrefix,
      HlsVariant variant) {
    boolean fmp4 = variant == HlsVariant.FMP4;
    HlsSegment first = segments.get(0);
    StringBuilder out = new StringBuilder(128 + segments.size() * 96);
    out.append("#EXTM3U\n");
    out.append(fmp4 ? "#EXT-X-VERSION:7\n" : "#EXT-X-VERSION:3\n");
    out.append("#EXT-X-TARGETDURATION:").append(targetDurationSeconds).append('\n');
    out.append("#EXT-X-MEDIA-SEQUENCE:").append(first.sequence()).append('\n');
    // §6.2.2: counts the discontinuity tags of removed segments; the first listed segment's own tag
    // is still in the playlist.
    long discontinuitySequence = first.discontinuitySequence() - (first.discontinuity() ? 1 : 0);
    // Optional at 0 (RFC 8216 §4.3.3.3), written always so players can count restarts from the start.
    out.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(discontinuitySequence).append('\n');
    long initId = -1;
    for (HlsSegment segment : segments) {
      if (segment.discontinuity()) {
        out.append("#EXT-X-DISCONTINUITY\n");
      }
      if (fmp4 && segment.initId() != initId) {
        initId = segment.initId();
        out.append("#EXT-X-MAP:URI=\"").append(segmentUriPrefix).append("init-").append(initId).append(".mp4\"\n");
      }
      out.append("#EXT-X-PROGRAM-DATE-TIME:")
          .append(DATE_TIME.format(Instant.ofEpochMilli(segment.programDateTimeMillis()))).append('\n');
      out.append("#EXTINF:").append(extinf(segment.durationMillis())).append(",\n");
      out.append(segmentUriPrefix).append(segment.sequence()).append(variant.extension()).append('\n');
    }
    return out.toString();
  }

  /** Seconds with exactly three decimals, from integer milliseconds (no floating point). */
  static String extinf(long durationMillis) {
    return String.format(Locale.ROOT, "%d.%03d", durationMillis / 1000, durationMillis % 1000);
  }
}
