package dev.streamedge.config;

import dev.streamedge.transcode.Rendition;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The adaptive bitrate ladder: which apps get one, its renditions, and the ffmpeg that makes them.
 *
 * @param apps apps whose streams are transcoded: comma-separated names, * for all, "" for none
 * @param ladder the renditions, {@code name=WxH@RATEk[/encoder]} items
 * @param keepSource whether the source is the top rung of the master playlist
 * @param onDemand start a transcoder at the first request for its master playlist or a rendition
 * @param linger how long an on-demand transcoder goes on with nobody asking for it
 * @param ffmpeg the ffmpeg executable: a name looked up on the PATH, or a path
 * @param maxProcesses most transcoders running at once on this node
 * @param encoder the video encoder of renditions that name none
 * @param encoderArgs the encoder's options, split at spaces
 * @param maxQueued bytes of source waiting for ffmpeg's standard input; beyond them it skips to the next
 *     keyframe
 * @param restartMin first wait before a transcoder that ended is started again; doubled per failure
 * @param restartMax longest such wait
 */
public record TranscodeConfig(String apps, String ladder, boolean keepSource, boolean onDemand, Duration linger,
    String ffmpeg, int maxProcesses,
    String encoder, String encoderArgs, ByteSize maxQueued, Duration restartMin, Duration restartMax) {

  /** Whether the streams of {@code app} are transcoded (given a ladder). */
  public boolean transcodes(String app) {
    return !renditions().isEmpty()
        && (apps.equals("*") || (!apps.isEmpty() && Arrays.asList(apps.split(",")).contains(app)));
  }

  /** Whether any app is transcoded. */
  public boolean enabled() {
    return !apps.isEmpty() && !renditions().isEmpty();
  }

  /** The ladder, parsed; the rule has checked it. */
  public List<Rendition> renditions() {
    return Rendition.parseAll(ladder);
  }

  /** The encoder options as ffmpeg arguments. */
  public List<String> encoderArgList() {
    return encoderArgs.isBlank() ? List.of() : List.of(encoderArgs.trim().split("\\s+"));
  }
}
