package dev.streamedge.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Test streams made at test time from ffmpeg's lavfi sources (nothing binary is committed), cached in
 * {@code target/test-media} for the whole run.
 */
public final class TestMedia {

  private static final Path DIR = Path.of("target", "test-media");

  private TestMedia() {
  }

  /**
   * H.264 (with B-frames, so composition times are exercised) and AAC in FLV: 640x360 at 25 fps with
   * a keyframe every {@code gopSeconds}, a 440 Hz tone, {@code seconds} long.
   */
  public static Path audioVideo(int seconds, int gopSeconds) throws Exception {
    return audioVideo(25, seconds, gopSeconds);
  }

  /** As {@link #audioVideo(int, int)} at {@code fps} frames a second (OBS's default is 30). */
  public static synchronized Path audioVideo(int fps, int seconds, int gopSeconds) throws Exception {
    return make((fps == 25 ? "av-" : "av" + fps + "fps-") + seconds + "s-gop" + gopSeconds + ".flv", List.of(
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=" + fps,
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
        "-t", String.valueOf(seconds),
        "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "main", "-bf", "2",
        "-g", String.valueOf(fps * gopSeconds), "-keyint_min", String.valueOf(fps * gopSeconds),
        "-sc_threshold", "0", "-b:v", "800k",
        "-c:a", "aac", "-b:a", "96k", "-ac", "2"));
  }

  /**
   * A 5 Mbit/s stream: 1280x720 H.264 at 25 fps, constant bit rate (x264 pads with filler data, so a
   * simple test picture still costs the full rate), a keyframe every second, and AAC.
   */
  public static synchronized Path fiveMegabit(int seconds) throws Exception {
    return make("av5m-" + seconds + "s.flv", List.of(
        "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
        "-t", String.valueOf(seconds),
        "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-keyint_min", "25", "-sc_threshold", "0",
        "-b:v", "5M", "-minrate", "5M", "-maxrate", "5M", "-bufsize", "1M", "-x264-params", "nal-hrd=cbr",
        "-c:a", "aac", "-b:a", "96k", "-ac", "2"));
  }

  /**
   * Enhanced FLV (Enhanced RTMP's FourCC tags), as ffmpeg 8 writes it: 320x240 at 25 fps with a
   * keyframe every second, and a tone. {@code video} is {@code hevc} (x265, with B-frames),
   * {@code av1} (SVT-AV1), {@code vp9} (libvpx) or {@code h264}; {@code audio} is {@code opus} (48 kHz stereo) or {@code aac}.
   */
  public static synchronized Path enhanced(String video, String audio, int seconds) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of(
        "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", String.valueOf(seconds)));
    args.addAll(switch (video) {
      case "hevc" -> List.of("-c:v", "libx265", "-preset", "ultrafast", "-x265-params",
          "keyint=25:min-keyint=25:bframes=2:log-level=error");
      case "av1" -> List.of("-c:v", "libsvtav1", "-preset", "12", "-g", "25", "-svtav1-params", "keyint=25");
      case "vp9" -> List.of("-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-g", "25");
      default -> List.of("-c:v", "libx264", "-preset", "veryfast", "-g", "25", "-keyint_min", "25");
    });
    args.addAll(audio.equals("opus") ? List.of("-c:a", "libopus", "-b:a", "64k", "-ac", "2")
        : List.of("-c:a", "aac", "-b:a", "96k", "-ac", "2"));
    return make(video + "-" + audio + "-" + seconds + "s.flv", args);
  }

  /**
   * H.264 (with B-frames) and AAC: 320x240 at 25 fps with a keyframe every 37 frames (1.48 s, on no
   * whole-second grid an encoder would pick by itself), {@code seconds} long; for transcoding tests.
   */
  public static synchronized Path oddGop(int seconds) throws Exception {
    return make("oddgop-" + seconds + "s.flv", List.of(
        "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
        "-t", String.valueOf(seconds),
        "-c:v", "libx264", "-preset", "veryfast", "-bf", "2", "-g", "37", "-keyint_min", "37",
        "-sc_threshold", "0", "-b:v", "600k",
        "-c:a", "aac", "-b:a", "64k", "-ac", "2"));
  }

  /**
   * 640x360 H.264 at 25 fps and 2.5 Mbit/s constant bit rate (x264 pads with filler data), a keyframe
   * every second, and AAC: a source a 1 Mbit/s network cannot carry, for adaptive bitrate tests.
   */
  public static synchronized Path twoAndAHalfMegabit(int seconds) throws Exception {
    return make("av2m5-" + seconds + "s.flv", List.of(
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
        "-t", String.valueOf(seconds),
        "-c:v", "libx264", "-preset", "veryfast", "-g", "25", "-keyint_min", "25", "-sc_threshold", "0",
        "-b:v", "2500k", "-minrate", "2500k", "-maxrate", "2500k", "-bufsize", "1M", "-x264-params", "nal-hrd=cbr",
        "-c:a", "aac", "-b:a", "64k", "-ac", "2"));
  }

  public static synchronized Path videoOnly(int seconds) throws Exception {
    return make("video-" + seconds + "s.flv", List.of(
        "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", String.valueOf(seconds),
        "-c:v", "libx264", "-preset", "veryfast", "-g", "50", "-an"));
  }

  public static synchronized Path audioOnly(int seconds) throws Exception {
    return make("audio-" + seconds + "s.flv", List.of(
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", String.valueOf(seconds),
        "-c:a", "aac", "-b:a", "96k", "-vn"));
  }

  private static Path make(String name, List<String> args) throws Exception {
    Path file = DIR.resolve(name);
    if (Files.exists(file)) {
      return file;
    }
    Files.createDirectories(DIR);
    // Test JVMs that run at once may make the same file: each writes its own partial one and moves it in.
    Path partial = DIR.resolve(name + "." + ProcessHandle.current().pid() + ".partial.flv");
    List<String> command = new java.util.ArrayList<>(args);
    command.addAll(List.of("-f", "flv", "-y", partial.toString()));
    Ffmpeg.run("make-" + name, command, 120);
    Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return file;
  }
}
