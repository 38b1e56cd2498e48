package dev.streamedge.transcode;

import java.util.List;
import java.util.Locale;

/**
 * An HLS master playlist (RFC 8216 §4.3.4.2): one EXT-X-STREAM-INF per variant, highest bandwidth first
 * as listed. Pure text; the URIs are relative to the master playlist's own URL.
 */
final class MasterPlaylist {

  /** One variant: its URI and what EXT-X-STREAM-INF says of it; 0 or "" leaves an attribute out. */
  record Variant(String uri, long bandwidth, long averageBandwidth, int width, int height, double fps,
      String codecs) {
  }

  private MasterPlaylist() {
  }

  static String of(List<Variant> variants) {
    StringBuilder out = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n");
    for (Variant v : variants) {
      out.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(Math.max(1, v.bandwidth()));
      if (v.averageBandwidth() > 0) {
        out.append(",AVERAGE-BANDWIDTH=").append(v.averageBandwidth());
      }
      if (v.width() > 0 && v.height() > 0) {
        out.append(",RESOLUTION=").append(v.width()).append('x').append(v.height());
      }
      if (v.fps() > 0) {
        // §4.3.4.2: a decimal-floating-point rounded to three decimal places.
        out.append(",FRAME-RATE=").append(String.format(Locale.ROOT, "%.3f", v.fps()));
      }
      if (!v.codecs().isEmpty()) {
        out.append(",CODECS=\"").append(v.codecs()).append('"');
      }
      out.append('\n').append(v.uri()).append('\n');
    }
    return out.toString();
  }
}
