package dev.streamedge.hls;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Renders a live media playlist (RFC 8216 §4.3) of MPEG-TS or fMP4 segments, and the LL-HLS form
 * with parts (RFC 8216bis §4.4.4.9, §4.4.5, §6.2.5).
 */
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
    boolean fmp4 = variant != HlsVariant.MPEGTS;
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
    HlsKey key = null;
    for (HlsSegment segment : segments) {
      if (segment.discontinuity()) {
        out.append("#EXT-X-DISCONTINUITY\n");
      }
      if (!fmp4 && (segment.key() != null || key != null)) {
        key = segment.key();
        keyTag(out, key, segment.sequence(), segmentUriPrefix);
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

  /**
   * RFC 8216 §4.3.2.4: the key of the next segment, at {@code key-<id>.key} next to it, and its IV: the segment's
   * media sequence number, as {@link SegmentKeys} encrypts, written out rather than left for the player to derive
   * (§5.2). So a tag per segment, as each has its own IV: GStreamer 1.22's hlsdemux reads EXT-X-MEDIA-SEQUENCE
   * as a 32-bit integer, which ours (the wall clock in tenths of a second) overflow, and without the attribute
   * it decrypted every segment's first block, its PAT, with a wrong IV and played nothing. METHOD=NONE once
   * the segments are no longer encrypted (not before the first segment: none is the default).
   */
  private static void keyTag(StringBuilder out, HlsKey key, long sequence, String prefix) {
    if (key == null) {
      out.append("#EXT-X-KEY:METHOD=NONE\n");
      return;
    }
    out.append("#EXT-X-KEY:METHOD=AES-128,URI=\"").append(prefix).append("key-").append(key.id())
        .append(".key\",IV=0x").append(SegmentKeys.ivHex(sequence)).append('\n');
  }

  /**
   * What an LL-HLS playlist shows.
   *
   * @param segments the listed finished segments, oldest first, at least one
   * @param parts the listed parts (of the last finished segments and of the open one), oldest first
   * @param open the segment being written, or null between runs
   * @param nextPart the number of the part to come, for EXT-X-PRELOAD-HINT
   * @param skip whether this is a delta update (_HLS_skip)
   */
  record LowLatency(List<HlsSegment> segments, List<HlsPart> parts, HlsWindow.OpenSegment open, long nextPart,
      long partTargetMillis, boolean skip) {
  }

  /** RFC 8216bis §4.4.3.8: CAN-SKIP-UNTIL of at least six target durations. */
  static final int SKIP_TARGETS = 6;
  /** RFC 8216bis §4.4.3.8: PART-HOLD-BACK of at least three part targets. */
  static final int PART_HOLD_BACK_TARGETS = 3;

  /**
   * The LL-HLS playlist: version 9 (EXT-X-SKIP), EXT-X-SERVER-CONTROL, EXT-X-PART-INF, the parts of
   * the last segments before each one's EXTINF, the open segment's parts after the last segment (after
   * the tags that apply to it), and one EXT-X-PRELOAD-HINT for the next part. Part URIs are {@code
   * p<number>.m4s}. A delta update replaces the segments further than CAN-SKIP-UNTIL from the end with
   * EXT-X-SKIP, and the tags that apply to them (an EXT-X-MAP is written again only where the init
   * segment changes).
   */
  static String renderLowLatency(LowLatency ll, int targetDurationSeconds, String prefix) {
    List<HlsSegment> segments = ll.segments();
    HlsSegment first = segments.get(0);
    long skipUntilMillis = SKIP_TARGETS * 1000L * targetDurationSeconds;
    int skipped = 0;
    if (ll.skip()) {
      long after = 0;
      for (int i = segments.size() - 1; i >= 0; i--) {
        if (after >= skipUntilMillis) {
          skipped = i + 1;
          break;
        }
        after += segments.get(i).durationMillis();
      }
    }
    StringBuilder out = new StringBuilder(512 + segments.size() * 96 + ll.parts().size() * 64);
    out.append("#EXTM3U\n#EXT-X-VERSION:9\n");
    out.append("#EXT-X-TARGETDURATION:").append(targetDurationSeconds).append('\n');
    out.append("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=").append(extinf(skipUntilMillis))
        .append(",PART-HOLD-BACK=").append(extinf(PART_HOLD_BACK_TARGETS * ll.partTargetMillis())).append('\n');
    out.append("#EXT-X-PART-INF:PART-TARGET=").append(extinf(ll.partTargetMillis())).append('\n');
    out.append("#EXT-X-MEDIA-SEQUENCE:").append(first.sequence()).append('\n');
    long discontinuitySequence = first.discontinuitySequence() - (first.discontinuity() ? 1 : 0);
    out.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(discontinuitySequence).append('\n');
    long initId = -1;
    if (skipped > 0) {
      out.append("#EXT-X-SKIP:SKIPPED-SEGMENTS=").append(skipped).append('\n');
      initId = segments.get(skipped - 1).initId();
    }
    int part = 0;
    List<HlsPart> parts = ll.parts();
    for (HlsSegment segment : segments.subList(skipped, segments.size())) {
      initId = segmentTags(out, segment.discontinuity(), segment.initId(), initId, segment.programDateTimeMillis(),
          prefix);
      while (part < parts.size() && parts.get(part).segmentSequence() < segment.sequence()) {
        part++;
      }
      for (; part < parts.size() && parts.get(part).segmentSequence() == segment.sequence(); part++) {
        partTag(out, parts.get(part), prefix);
      }
      out.append("#EXTINF:").append(extinf(segment.durationMillis())).append(",\n");
      out.append(prefix).append(segment.sequence()).append(".m4s\n");
    }
    HlsWindow.OpenSegment open = ll.open();
    if (open != null) {
      segmentTags(out, open.discontinuity(), open.initId(), initId, open.programDateTimeMillis(), prefix);
      for (; part < parts.size(); part++) {
        if (parts.get(part).segmentSequence() == open.sequence()) {
          partTag(out, parts.get(part), prefix);
        }
      }
    }
    out.append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"").append(prefix).append('p').append(ll.nextPart())
        .append(".m4s\"\n");
    return out.toString();
  }

  /** The tags before a segment's parts and URI; returns the init segment id now in force. */
  private static long segmentTags(StringBuilder out, boolean discontinuity, long initId, long currentInit,
      long programDateTime, String prefix) {
    if (discontinuity) {
      out.append("#EXT-X-DISCONTINUITY\n");
    }
    if (initId != currentInit) {
      out.append("#EXT-X-MAP:URI=\"").append(prefix).append("init-").append(initId).append(".mp4\"\n");
    }
    out.append("#EXT-X-PROGRAM-DATE-TIME:").append(DATE_TIME.format(Instant.ofEpochMilli(programDateTime)))
        .append('\n');
    return initId;
  }

  private static void partTag(StringBuilder out, HlsPart part, String prefix) {
    out.append("#EXT-X-PART:DURATION=").append(extinf(part.durationMillis())).append(",URI=\"").append(prefix)
        .append('p').append(part.number()).append(".m4s\"");
    if (part.independent()) {
      out.append(",INDEPENDENT=YES");
    }
    out.append('\n');
  }

  /** Seconds with exactly three decimals, from integer milliseconds (no floating point). */
  static String extinf(long durationMillis) {
    if (durationMillis < 0) {
      return String.format(Locale.ROOT, "%d.%03d", durationMillis / 1000, durationMillis % 1000);
    }
    // Built by hand: a playlist is rendered per request, and String.format's parsing was 3.8% of the
    // CPU of 1000 MPEG-TS players (bench/profile/out/20261203T092437Z).
    long millis = durationMillis % 1000;
    return (durationMillis / 1000) + (millis < 10 ? ".00" : millis < 100 ? ".0" : ".") + millis;
  }
}
