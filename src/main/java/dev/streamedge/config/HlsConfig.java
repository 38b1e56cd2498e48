package dev.streamedge.config;

import java.time.Duration;
import java.util.Arrays;

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
 */
public record HlsConfig(Duration targetDuration, int playlistLength, int keptSegments, ByteSize maxSegmentSize,
    String onDemandApps, Duration idleTimeout, Duration firstSegmentWait) {

  /** Whether {@code app} is packaged only while requested, rather than from publish start. */
  public boolean onDemand(String app) {
    return onDemandApps.equals("*") || Arrays.asList(onDemandApps.split(",")).contains(app);
  }
}
