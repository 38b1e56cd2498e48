package dev.streamedge.config;

import java.time.Duration;
import java.util.Arrays;

/**
 * Recording of publish sessions to files, as nginx-rtmp's {@code record all}.
 *
 * @param apps apps whose publish sessions are recorded: comma-separated names, * for all, "" for none
 * @param path the directory of the recordings, one subdirectory per app
 * @param format the file format: {@code flv}, written tag by tag, or {@code fmp4}, written fragment by
 *     fragment; either plays up to its last whole tag or fragment
 * @param maxDuration a recording goes on in a new file at the first keyframe after this much media; zero
 *     for no limit
 * @param maxSize as {@code maxDuration}, after this many bytes; zero for no limit
 * @param keep recordings last written longer ago than this are deleted; zero keeps them
 * @param onRecordDone the URL told by POST when a file is complete; "" for none
 * @param maxQueued bytes of one recording handed to the disk and not yet written; beyond them the
 *     recording stops
 */
public record RecordConfig(String apps, String path, String format, Duration maxDuration, ByteSize maxSize,
    Duration keep, String onRecordDone, ByteSize maxQueued) {

  /** Whether the publish sessions of {@code app} are recorded. */
  public boolean records(String app) {
    return apps.equals("*") || (!apps.isEmpty() && Arrays.asList(apps.split(",")).contains(app));
  }

  /** Whether anything is recorded at all. */
  public boolean enabled() {
    return !apps.isEmpty();
  }
}
