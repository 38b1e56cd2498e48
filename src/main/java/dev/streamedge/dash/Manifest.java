package dev.streamedge.dash;

import java.time.Instant;
import java.util.ArrayList;
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
    return render(listed, List.of(), targetSeconds, prefix, publishMillis);
  }

  /**
   * A transcoding ladder's video Representation: a rendition's listed segments (oldest first), its id in the MPD
   * and what its segment URLs start with.
   */
  public record Rendition(String id, String prefix, List<DashSegment> listed) {
  }

  /**
   * The MPD of a stream and its ladder's renditions, up to its closing: the source's segments make the
   * Periods and the audio; each Period's video AdaptationSet has the source's Representation and one per
   * rendition, with the rendition's segments of that Period (its own SegmentTemplate and init segment: each is
   * a stream of its own). The renditions keep the source's timestamps ({@code -copyts}), so one
   * presentationTimeOffset serves them all.
   *
   * @param listed the source's segments, oldest first, at least one
   */
  public static String render(List<DashSegment> listed, List<Rendition> renditions, int targetSeconds, String prefix,
      long publishMillis) {
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
      // The Period's media runs to where the next one starts (in the source's timeline, which the renditions share).
      long end = to < listed.size() ? listed.get(to).period().videoOffset() : Long.MAX_VALUE;
      List<VideoRepresentation> video = new ArrayList<>();
      video.add(new VideoRepresentation("video", prefix, listed.subList(from, to)));
      for (Rendition rendition : renditions) {
        List<DashSegment> within = within(rendition.listed(), listed.get(from).period().videoOffset(), end);
        if (!within.isEmpty()) {
          video.add(new VideoRepresentation(rendition.id(), rendition.prefix(), within));
        }
      }
      period(out, listed.subList(from, to), video, escape(prefix), !renditions.isEmpty());
      from = to;
    }
    return out.toString();
  }

  /** One Representation of a Period's video: segments of one run, all with video, under {@code prefix}. */
  private record VideoRepresentation(String id, String prefix, List<DashSegment> segments) {
  }

  /** {@code listed}'s video segments that start in [{@code start}, {@code end}), of the last such one's run. */
  private static List<DashSegment> within(List<DashSegment> listed, long start, long end) {
    List<DashSegment> found = new ArrayList<>();
    for (DashSegment segment : listed) {
      if (segment.video() != null && segment.video().start() >= start && segment.video().start() < end) {
        found.add(segment);
      }
    }
    if (found.isEmpty()) {
      return found;
    }
    long run = found.get(found.size() - 1).run().initId();
    found.removeIf(segment -> segment.run().initId() != run);
    return found;
  }

  /** The end of an MPD: the server's clock (§5.8.4.11, {@code urn:mpeg:dash:utc:direct:2014}) at {@code nowMillis}. */
  public static String closing(long nowMillis) {
    return "  <UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:direct:2014\" value=\"" + Instant.ofEpochMilli(nowMillis)
        + "\"/>\n</MPD>\n";
  }

  private static void period(StringBuilder out, List<DashSegment> segments, List<VideoRepresentation> video,
      String prefix, boolean ladder) {
    DashPeriod period = segments.get(0).period();
    DashRun run = segments.get(0).run();
    out.append("  <Period id=\"").append(period.id()).append("\" start=\"")
        .append(duration(period.startMillis() / 1000.0)).append("\">\n");
    if (run.hasVideo()) {
      // A ladder's renditions start their segments at their own first keyframe: aligned with the source's only
      // when they started in step, so alignment is claimed for a single stream only.
      out.append("    <AdaptationSet id=\"0\" contentType=\"video\" mimeType=\"video/mp4\"")
          .append(ladder ? "" : " segmentAlignment=\"true\"").append(" startWithSAP=\"1\">\n");
      for (VideoRepresentation representation : video) {
        DashRun own = representation.segments().get(0).run();
        out.append("      <Representation id=\"").append(escape(representation.id())).append("\" codecs=\"")
            .append(escape(own.videoCodecs())).append('"');
        if (own.width() > 0 && own.height() > 0) {
          out.append(" width=\"").append(own.width()).append("\" height=\"").append(own.height()).append('"');
        }
        out.append(" bandwidth=\"")
            .append(bandwidth(representation.segments(), DashSegment::video, DashRun.VIDEO_TIMESCALE)).append("\">\n");
        template(out, representation.segments(), DashSegment::video, DashRun.VIDEO_TIMESCALE, period.videoOffset(),
            escape(representation.prefix()) + own.initId(), "m4v");
        out.append("      </Representation>\n");
      }
      out.append("    </AdaptationSet>\n");
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
