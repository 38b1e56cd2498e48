package dev.streamedge.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The ffmpeg command line: one decode, a scale per rendition, keyframes at the source's, each output to its URL. */
@Tag("unit")
class FfmpegCommandTest {

  @Test
  void theSourceComesOnStdinAndEachRenditionGoesToItsUrl() {
    List<String> args = FfmpegCommand.of("/usr/bin/ffmpeg", List.of(new Rendition("480p", 854, 480, 1200, ""),
            new Rendition("360p", 640, 360, 600, "h264_nvenc")), List.of("rtmp://a/480", "rtmp://a/360"), "libx264",
        List.of("-preset", "veryfast"));
    String line = String.join(" ", args);
    assertThat(args.get(0)).isEqualTo("/usr/bin/ffmpeg");
    assertThat(line).contains("-f flv -i pipe:0 -copyts -filter_complex "
        + "[0:v]split=2[s0][s1];[s0]scale=854:480[v0];[s1]scale=640:360[v1] ");
    assertThat(line).contains("-map [v0] -map 0:a? -c:v libx264 -preset veryfast -b:v 1200k -maxrate 1200k -bufsize"
        + " 1200k -g 1000 -force_key_frames source -fps_mode passthrough -c:a copy -f flv -flvflags"
        + " no_duration_filesize rtmp://a/480 ");
    assertThat(line).contains("-map [v1] -map 0:a? -c:v h264_nvenc -preset veryfast -b:v 600k");
    assertThat(line).endsWith("rtmp://a/360").contains("-progress pipe:1 -stats_period 1", "-nostdin");
    assertThat(Collections.frequency(args, "-force_key_frames")).isEqualTo(2);
  }
}
