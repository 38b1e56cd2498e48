package dev.streamedge.config;

import static dev.streamedge.config.ConfigKeys.key;

import java.time.Duration;
import java.util.List;

/** The keys of the {@code thumbnail} section (a part of {@link ConfigKeys}, in its place in the file's order). */
final class ThumbnailKeys {

  private ThumbnailKeys() {
  }

  static List<ConfigKey> all() {
    return List.of(
        key("thumbnail.enabled", "true", Rule.bool(),
            "Serve a JPEG of each live stream's last keyframe at /api/v1/streams/<app>/<key>/thumbnail.jpg (the"
                + " dashboard shows them); made by transcode.ffmpeg, under the API's access rules"),
        key("thumbnail.width", "320", Rule.integer(16, 3840),
            "Width of a thumbnail in pixels; the height keeps the picture's aspect ratio"),
        key("thumbnail.max-age", "10s", Rule.duration(Duration.ofSeconds(1), Duration.ofHours(1)),
            "How long a stream's thumbnail is served as it is before a request makes a new one"),
        key("thumbnail.timeout", "5s", Rule.duration(Duration.ofSeconds(1), Duration.ofMinutes(1)),
            "Longest wait for a stream's keyframe and ffmpeg's picture; past it the answer is 504 and ffmpeg is killed"),
        key("thumbnail.max-processes", "2", Rule.integer(1, 64),
            "Most ffmpeg processes making thumbnails at once; a request that would start one more gets 503"),
        key("thumbnail.max-cached", "100", Rule.integer(1, 100_000),
            "Most streams whose last thumbnail is kept; the least recently asked for goes first"),
        key("thumbnail.max-size", "4MiB", Rule.byteSize(ByteSize.ofKiB(16), ByteSize.ofMiB(64)),
            "Largest thumbnail taken from ffmpeg, and largest keyframe given to it; beyond, the answer is 502"));
  }
}
