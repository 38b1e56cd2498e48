package dev.streamedge.dash;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The dynamic MPD of a live stream (ISO/IEC 23009-1, ISO BMFF live profile §8.4), listing its latest
 * segments: a Period per run ({@link DashPeriods}), in each an AdaptationSet per track with one
 * Representation whose SegmentTemplate addresses segments by {@code $Time$} (§5.3.9.4.4) under a
 * SegmentTimeline (§5.3.9.6), the way nginx-rtmp's dash module writes it. Segment URLs are relative to
 * the MPD: {@code <prefix><initId>-init.m4v}, {@code <prefix><initId>-<time>.m4v} ({@code .m4a} for
 * audio). The MPD ends with the server's clock ({@link #closing}), which the caller adds per response:
 * a player's clock may be off, and the availability of a live segment is told by the wall clock.
 * Pure.
 */
public final class Manifest {

  /** How many target durations behind the newest segment a player starts (MPD@suggestedPresentationDelay). */
  static final int DELAY_SEGMENTS = 3;

  private Manifest() {
  }

  /**
   * The MPD up to its closing, without the clock: add {@link #closing}.
   *
   * @param listed the segments it lists, oldest first, at least one
   * @param targetSeconds the segments' target duration (EXT-X-TARGETDURATION)
   * @param prefix what segment URLs start with, relative to the MPD
   * @param publishMillis MPD@publishTime, epoch milliseconds
   */
  public static String render(List<DashSegment> listed, int targetSeconds, String prefix, long publishMillis) {
    if (listed.isEmpty()) {
      throw new IllegalArgumentException("an MPD lists at least one segment");
    }
    DashPeriod first = listed.get(0).period();
    double depth = 0;
    double longest = targetSeconds;
    for (DashSegment segment : listed) {
      double seconds = seconds(segment);
      depth += seconds;
      longest = Math.max(longest, seconds);
    }
    StringBuilder out = new StringBuilder(2048);
    out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" profiles=\"urn:mpeg:dash:profile:isoff-live:2011\"")
        .append(" type=\"dynamic\" availabilityStartTime=\"").append(Instant.ofEpochMilli(first.anchorMillis()))
        .append("\" publishTime=\"").append(Instant.ofEpochMilli(publishMillis))
        .append("\" minimumUpdatePeriod=\"").append(duration(targetSeconds))
        .append("\" minBufferTime=\"").append(duration(targetSeconds))
        .append("\" timeShiftBufferDepth=\"").append(duration(depth))
        .append("\" maxSegmentDuration=\"").append(duration(longest))
        .append("\" suggestedPresentationDelay=\"").append(duration(DELAY_SEGMENTS * (double) targetSeconds))
        .append("\">\n");
    int from = 0;
    while (from < listed.size()) {
      int to = from + 1;
      while (to < listed.size() && listed.get(to).period().id() == listed.get(from).period().id()) {
        to++;
      }
      period(out, listed.subList(from, to), escape(prefix));
      from = to;
    }
    return out.toString();
  }

  /** The end of an MPD: the server's clock (§5.8.4.11, {@code urn:mpeg:dash:utc:direct:2014}) at {@code nowMillis}. */
  public static String closing(long nowMillis) {
    return "  <UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:direct:2014\" value=\"" + Instant.ofEpochMilli(nowMillis)
        + "\"/>\n</MPD>\n";
  }

  private static void period(StringBuilder out, List<DashSegment> segments, String prefix) {
    DashPeriod period = segments.get(0).period();
    DashRun run = segments.get(0).run();
    out.append("  <Period id=\"").append(period.id()).append("\" start=\"")
        .append(duration(period.startMillis() / 1000.0)).append("\">\n");
    if (run.hasVideo()) {
      out.append("    <AdaptationSet id=\"0\" contentType=\"video\" mimeType=\"video/mp4\" segmentAlignment=\"true\"")
          .append(" startWithSAP=\"1\">\n      <Representation id=\"video\" codecs=\"").append(escape(run.videoCodecs()))
          .append('"');
      if (run.width() > 0 && run.height() > 0) {
        out.append(" width=\"").append(run.width()).append("\" height=\"").append(run.height()).append('"');
      }
      out.append(" bandwidth=\"").append(bandwidth(segments, DashSegment::video, DashRun.VIDEO_TIMESCALE))
          .append("\">\n");
      template(out, segments, DashSegment::video, DashRun.VIDEO_TIMESCALE, period.videoOffset(),
          prefix + run.initId(), "m4v");
      out.append("      </Representation>\n    </AdaptationSet>\n");
    }
    if (run.hasAudio()) {
      out.append("    <AdaptationSet id=\"1\" contentType=\"audio\" mimeType=\"audio/mp4\" segmentAlignment=\"true\"")
          .append(" startWithSAP=\"1\">\n      <Representation id=\"audio\" codecs=\"").append(escape(run.audioCodecs()))
          .append("\" audioSamplingRate=\"").append(run.audioTimescale()).append("\" bandwidth=\"")
          .append(bandwidth(segments, DashSegment::audio, run.audioTimescale())).append("\">\n")
          .append("        <AudioChannelConfiguration")
          .append(" schemeIdUri=\"urn:mpeg:dash:23003:3:audio_channel_configuration:2011\" value=\"")
          .append(run.channels()).append("\"/>\n");
      template(out, segments, DashSegment::audio, run.audioTimescale(), period.audioOffset(), prefix + run.initId(),
          "m4a");
      out.append("      </Representation>\n    </AdaptationSet>\n");
    }
    out.append("  </Period>\n");
  }

  /** §5.3.9.6: S@t where a segment does not follow the previous one, S@r for runs of equal durations. */
  private static void template(StringBuilder out, List<DashSegment> segments, Function<DashSegment, DashTrack> track,
      int timescale, long offset, String stem, String extension) {
    out.append("        <SegmentTemplate timescale=\"").append(timescale).append("\" presentationTimeOffset=\"")
        .append(offset).append("\" initialization=\"").append(stem).append("-init.").append(extension)
        .append("\" media=\"").append(stem).append("-$Time$.").append(extension).append("\">\n")
        .append("          <SegmentTimeline>\n");
    long end = Long.MIN_VALUE;
    long duration = -1;
    int repeat = 0;
    for (DashSegment segment : segments) {
      DashTrack t = track.apply(segment);
      if (t == null) {
        continue;
      }
      if (t.start() == end && t.duration() == duration) {
        repeat++;
        end = t.end();
        continue;
      }
      closeEntry(out, repeat, duration >= 0);
      out.append("            <S");
      if (t.start() != end) {
        out.append(" t=\"").append(t.start()).append('"');
      }
      out.append(" d=\"").append(t.duration()).append('"');
      duration = t.duration();
      end = t.end();
      repeat = 0;
    }
    closeEntry(out, repeat, duration >= 0);
    out.append("          </SegmentTimeline>\n        </SegmentTemplate>\n");
  }

  private static void closeEntry(StringBuilder out, int repeat, boolean open) {
    if (!open) {
      return;
    }
    if (repeat > 0) {
      out.append(" r=\"").append(repeat).append('"');
    }
    out.append("/>\n");
  }

  /** The highest bit rate of the track's listed segments (Representation@bandwidth is a peak, §5.3.5.2). */
  private static long bandwidth(List<DashSegment> segments, Function<DashSegment, DashTrack> track, int timescale) {
    long highest = 1;
    for (DashSegment segment : segments) {
      DashTrack t = track.apply(segment);
      if (t != null && t.duration() > 0) {
        highest = Math.max(highest, t.data().length() * 8L * timescale / t.duration());
      }
    }
    return highest;
  }

  private static double seconds(DashSegment segment) {
    if (segment.video() != null) {
      return segment.video().duration() / (double) DashRun.VIDEO_TIMESCALE;
    }
    return segment.audio() == null ? 0 : segment.audio().duration() / (double) segment.run().audioTimescale();
  }

  /** An xs:duration of {@code seconds}, to the millisecond. */
  static String duration(double seconds) {
    return String.format(Locale.ROOT, "PT%.3fS", seconds);
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
