package dev.streamedge.hls;

import dev.streamedge.stream.StreamKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each LL-HLS packager's last segment and part, published as it makes them and read when any playlist of
 * its ladder is answered: EXT-X-RENDITION-REPORT (RFC 8216bis §4.4.5.4) for siblings that may live on
 * other HLS contexts, with no round trip to them and no lock (one immutable record per stream in a
 * concurrent map). Bounded by the packagers of the node: a packager's entry goes when it stops.
 */
final class RenditionReports {

  /** The last segment (its media sequence number) and the index of its last part that a playlist shows. */
  record Progress(long lastMsn, int lastPart) {
  }

  private final Map<StreamKey, Progress> progress = new ConcurrentHashMap<>();
  private volatile HlsLadder ladder = HlsLadder.NONE;

  void ladder(HlsLadder ladder) {
    this.ladder = ladder;
  }

  void publish(StreamKey key, Progress now) {
    progress.put(key, now);
  }

  /** A stopped packager's progress no longer applies (its next start numbers segments anew). */
  void remove(StreamKey key, Progress last) {
    progress.remove(key, last);
  }

  /**
   * One EXT-X-RENDITION-REPORT line per sibling of {@code key} packaged on this node, its URI {@code
   * uriPrefix + <sibling>/ll.m3u8} relative to the playlist; "" when there is none. A sibling not packaged
   * here yet is left out: there is no LAST-MSN to tell.
   */
  String render(StreamKey key, String uriPrefix) {
    StringBuilder out = null;
    for (StreamKey sibling : ladder.siblings(key)) {
      Progress p = progress.get(sibling);
      if (p == null || p.lastMsn() < 0) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(96);
      }
      out.append("#EXT-X-RENDITION-REPORT:URI=\"").append(uriPrefix).append(sibling.name())
          .append("/ll.m3u8\",LAST-MSN=").append(p.lastMsn());
      if (p.lastPart() >= 0) {
        out.append(",LAST-PART=").append(p.lastPart());
      }
      out.append('\n');
    }
    return out == null ? "" : out.toString();
  }
}
