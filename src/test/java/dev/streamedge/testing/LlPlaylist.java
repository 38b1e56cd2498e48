package dev.streamedge.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a test needs from an LL-HLS media playlist: its segments with their parts, the parts of the
 * segment being written, and the preload hint. Lenient on purpose; {@link PlaylistChecker} is the
 * strict one.
 */
public record LlPlaylist(long mediaSequence, int skipped, List<Segment> segments, List<Part> openParts,
    String preloadHint, String map) {

  private static final Pattern PART = Pattern.compile(
      "#EXT-X-PART:DURATION=([0-9.]+),URI=\"([^\"]+)\"(,INDEPENDENT=YES)?");
  private static final Pattern QUOTED_URI = Pattern.compile("URI=\"([^\"]+)\"");

  public record Part(String uri, double duration, boolean independent) {
  }

  public record Segment(long msn, String uri, double duration, List<Part> parts) {
  }

  public static LlPlaylist parse(String text) {
    long sequence = -1;
    int skipped = 0;
    String hint = null;
    String map = null;
    List<Segment> segments = new ArrayList<>();
    List<Part> parts = new ArrayList<>();
    double duration = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
        sequence = Long.parseLong(line.substring(22));
      } else if (line.startsWith("#EXT-X-SKIP:SKIPPED-SEGMENTS=")) {
        skipped = Integer.parseInt(line.substring(29));
      } else if (line.startsWith("#EXT-X-PART:")) {
        Matcher m = PART.matcher(line);
        if (!m.matches()) {
          throw new IllegalArgumentException("bad part line " + line);
        }
        parts.add(new Part(m.group(2), Double.parseDouble(m.group(1)), m.group(3) != null));
      } else if (line.startsWith("#EXT-X-PRELOAD-HINT:")) {
        Matcher m = QUOTED_URI.matcher(line);
        hint = m.find() ? m.group(1) : null;
      } else if (line.startsWith("#EXT-X-MAP:") && map == null) {
        Matcher m = QUOTED_URI.matcher(line);
        map = m.find() ? m.group(1) : null;
      } else if (line.startsWith("#EXTINF:")) {
        duration = Double.parseDouble(line.substring(8, line.indexOf(',')));
      } else if (!line.isEmpty() && !line.startsWith("#")) {
        segments.add(new Segment(sequence + skipped + segments.size(), line, duration, List.copyOf(parts)));
        parts.clear();
      }
    }
    return new LlPlaylist(sequence, skipped, List.copyOf(segments), List.copyOf(parts), hint, map);
  }

  /** Media sequence number of the segment being written: the one after the last listed. */
  public long openMsn() {
    return mediaSequence + skipped + segments.size();
  }

  /** The {@code _HLS_msn} and {@code _HLS_part} of the part after the last listed one, as a player asks. */
  public String nextPartQuery() {
    return "_HLS_msn=" + openMsn() + "&_HLS_part=" + openParts.size();
  }
}
