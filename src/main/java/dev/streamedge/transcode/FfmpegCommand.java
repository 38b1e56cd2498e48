package dev.streamedge.transcode;

import java.util.ArrayList;
import java.util.List;

/**
 * The ffmpeg command line of one stream's transcoder. The source comes as FLV on standard input and is
 * decoded once; a split filter scales it to each rendition, each encoded with keyframes forced where the
 * source has its own ({@code -force_key_frames source}) and timestamps kept ({@code -copyts},
 * {@code -fps_mode passthrough}), so that every rendition's keyframes sit at the source's times. Audio
 * is copied into each. Each rendition is published back over RTMP to {@code urls}, one per rendition.
 * Progress goes to standard output once a second ({@code -progress pipe:1}), warnings and errors to
 * standard error.
 */
final class FfmpegCommand {

  /**
   * Larger than any source GOP: the encoder's own keyframe interval must never place a keyframe where
   * the source has none. ffmpeg's -g is the encoder-independent gop_size.
   */
  static final int MAX_GOP_FRAMES = 1000;
  /** How much of the input ffmpeg reads to find its streams: enough for FLV's headers and a frame. */
  static final String ANALYZE_MICROS = "1000000";

  private FfmpegCommand() {
  }

  static List<String> of(String executable, List<Rendition> ladder, List<String> urls, String defaultEncoder,
      List<String> encoderArgs) {
    List<String> args = new ArrayList<>(List.of(executable, "-hide_banner", "-nostdin", "-loglevel", "warning",
        "-nostats", "-progress", "pipe:1", "-stats_period", "1", "-analyzeduration", ANALYZE_MICROS,
        "-f", "flv", "-i", "pipe:0", "-copyts"));
    StringBuilder graph = new StringBuilder("[0:v]split=").append(ladder.size());
    for (int i = 0; i < ladder.size(); i++) {
      graph.append("[s").append(i).append(']');
    }
    for (int i = 0; i < ladder.size(); i++) {
      Rendition r = ladder.get(i);
      graph.append(";[s").append(i).append("]scale=").append(r.width()).append(':').append(r.height())
          .append("[v").append(i).append(']');
    }
    args.add("-filter_complex");
    args.add(graph.toString());
    for (int i = 0; i < ladder.size(); i++) {
      Rendition r = ladder.get(i);
      String rate = r.kbps() + "k";
      args.addAll(List.of("-map", "[v" + i + "]", "-map", "0:a?",
          "-c:v", r.encoder().isEmpty() ? defaultEncoder : r.encoder()));
      args.addAll(encoderArgs);
      // VBV of one second at the target rate: each segment's bitrate stays near it.
      args.addAll(List.of("-b:v", rate, "-maxrate", rate, "-bufsize", rate, "-g", String.valueOf(MAX_GOP_FRAMES),
          "-force_key_frames", "source", "-fps_mode", "passthrough", "-c:a", "copy",
          "-f", "flv", "-flvflags", "no_duration_filesize", urls.get(i)));
    }
    return args;
  }
}
