package dev.streamedge.hls;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** Renders a live media playlist (RFC 8216 §4.3) of MPEG-TS segments. */
final class MediaPlaylist {

  /** §4.3.2.6: ISO/IEC 8601:2004 date and time; always with milliseconds and in UTC. */
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private MediaPlaylist() {
  }

  /**
   * The playlist of {@code segments} (oldest first, at least one). No EXT-X-ENDLIST: the stream is
   * live. Version 3 for decimal EXTINF durations (§7).
   */
  static String render(List<HlsSegment> segments, int targetDurationSeconds, String segmentUriPrefix) {
    HlsSegment first = segments.get(0);
    StringBuilder out = new StringBuilder(128 + segments.size() * 96);
    out.append("#EXTM3U\n");
    out.append("#EXT-X-VERSION:3\n");
    out.append("#EXT-X-TARGETDURATION:").append(targetDurationSeconds).append('\n');
    out.append("#EXT-X-MEDIA-SEQUENCE:").append(first.sequence()).append('\n');
    // §6.2.2: counts the discontinuity tags of removed segments; the first listed segment's own tag
    // is still in the playlist.
    long discontinuitySequence = first.discontinuitySequence() - (first.discontinuity() ? 1 : 0);
    // Optional at 0 (RFC 8216 §4.3.3.3), written always so players can count restarts from the start.
    out.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(discontinuitySequence).append('\n');
    for (HlsSegment segment : segments) {
      if (segment.discontinuity()) {
        out.append("#EXT-X-DISCONTINUITY\n");
      }
      out.append("#EXT-X-PROGRAM-DATE-TIME:")
          .append(DATE_TIME.format(Instant.ofEpochMilli(segment.programDateTimeMillis()))).append('\n');
      out.append("#EXTINF:").append(extinf(segment.durationMillis())).append(",\n");
      out.append(segmentUriPrefix).append(segment.sequence()).append(".ts\n");
    }
    return out.toString();
  }

  /** Seconds with exactly three decimals, from integer milliseconds (no floating point). */
  static String extinf(long durationMillis) {
    return String.format(Locale.ROOT, "%d.%03d", durationMillis / 1000, durationMillis % 1000);
  }
}
