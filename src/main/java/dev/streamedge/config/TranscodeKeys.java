package dev.streamedge.config;

import static dev.streamedge.config.ConfigKeys.key;

import java.time.Duration;
import java.util.List;

/** The keys of the {@code transcode} section (a part of {@link ConfigKeys}, in its place in the file's order). */
final class TranscodeKeys {

  private TranscodeKeys() {
  }

  static List<ConfigKey> all() {
    return List.of(
        key("transcode.apps", "", Rule.appList(),
            "Apps whose streams get the transcode.ladder (comma-separated, * for all); \"\" transcodes nothing"),
        key("transcode.ladder", "", Rule.ladder(),
            "The renditions, name=WxH@RATEk items (e.g. 480p=854x480@1200k), each played as <key>_<name>;"
                + " /encoder after an item picks its video encoder"),
        key("transcode.keep-source", "true", Rule.bool(),
            "Whether the source itself is the top rendition of the master playlist"),
        key("transcode.on-demand", "false", Rule.bool(),
            "Start a stream's transcoder at the first request for its master playlist or a rendition, not at publish;"
                + " stop it transcode.linger after the last"),
        key("transcode.linger", "30s", Rule.duration(Duration.ofSeconds(1), Duration.ofHours(1)),
            "How long an on-demand transcoder goes on with no master playlist request and no rendition viewer"),
        key("transcode.ffmpeg", "ffmpeg", Rule.path(),
            "The ffmpeg executable that transcodes: a name on the PATH or a path; missing, the apps play their source only"),
        key("transcode.max-processes", "4", Rule.integer(1, 1000),
            "Most transcoders (ffmpeg processes, one per stream) at once; streams beyond play their source only"),
        key("transcode.encoder", "libx264", Rule.encoderName(),
            "Video encoder of the renditions that name none (libx264; h264_nvenc, h264_vaapi, h264_qsv by hardware)"),
        key("transcode.encoder-args", "-preset veryfast -tune zerolatency -sc_threshold 0", Rule.headerValue(),
            "Options of the video encoder, separated by spaces; keyframes are forced at the source's whatever they say"),
        key("transcode.max-queued", "4MiB", Rule.byteSize(ByteSize.ofKiB(64), ByteSize.ofGiB(1)),
            "Bytes of source waiting for ffmpeg's input; a transcoder further behind skips to the next keyframe"),
        key("transcode.restart-min", "1s", Rule.duration(Duration.ofMillis(100), Duration.ofMinutes(1)),
            "First wait before a transcoder that ended while its source is live is started again; doubled per failure"),
        key("transcode.restart-max", "30s", Rule.duration(Duration.ofMillis(100), Duration.ofHours(1)),
            "Longest wait between two starts of a failing transcoder"));
  }
}
