package dev.streamedge.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GStreamer 1.22 (Debian's {@code gst-launch-1.0}; {@code scripts/test} installs it) as a test's publisher
 * and player: an RTMP client of its own ({@code rtmp2sink}, {@code rtmp2src}, not librtmp, not ffmpeg's),
 * and FLV, HLS and LL-HLS demuxers of its own ({@code flvdemux}, {@code hlsdemux2}), and an RTSP server ({@link
 * #rtspServer}). Each pipeline's
 * output goes to {@code target/gstreamer-logs/<name>.log}.
 */
public final class Gstreamer {

  private static final Path LOGS = Path.of("target", "gstreamer-logs");
  private static final String LAUNCH = "/usr/bin/gst-launch-1.0";
  /** fpsdisplaysink's last count with {@code -v}: "rendered: 250, dropped: 0". */
  private static final Pattern RENDERED = Pattern.compile("rendered: (\\d+), dropped: (\\d+)");

  private Gstreamer() {
  }

  /**
   * Publishes the H.264/AAC FLV file {@code media} to {@code url} in real time ({@code sync=true} paces it
   * by the clock), its frames as they are: demuxed, parsed and muxed again by GStreamer's flvmux.
   */
  public static Process publishFile(String name, Path media, String url) throws IOException {
    return launch(name, "filesrc", "location=" + media, "!", "flvdemux", "name=d",
        "d.video", "!", "queue", "!", "h264parse", "!", "mux.video",
        "d.audio", "!", "queue", "!", "aacparse", "!", "mux.audio",
        "flvmux", "name=mux", "streamable=true", "!", "rtmp2sink", "location=" + url, "sync=true");
  }

  /**
   * Publishes {@code seconds} of a live encoder to {@code url}, as a GStreamer-based encoder box does:
   * test sources, x264 and libav's AAC. Its flvmux sends its metadata again at every tag event of the
   * encoders, a dozen times in the first second.
   */
  public static Process publishLive(String name, String url, int seconds) throws IOException {
    int frames = seconds * 25;
    return launch(name, "videotestsrc", "is-live=true", "num-buffers=" + frames, "!",
        "video/x-raw,format=I420,width=640,height=360,framerate=25/1", "!",
        "x264enc", "tune=zerolatency", "key-int-max=25", "bitrate=800", "!", "h264parse", "!", "queue", "!", "mux.",
        "audiotestsrc", "is-live=true", "num-buffers=" + seconds * 43, "!", "audioconvert", "!", "avenc_aac", "!",
        "aacparse", "!", "queue", "!", "mux.",
        "flvmux", "name=mux", "streamable=true", "!", "rtmp2sink", "location=" + url);
  }

  /**
   * Publishes {@code seconds} of a live encoder over SRT to {@code uri} ({@code srt://host:port?streamid=...}),
   * as GStreamer-based encoders do: x264 and libav's AAC muxed by mpegtsmux into srtsink, in caller mode. As
   * GStreamer's SRT guides set it up: parameter sets before every keyframe (a receiver may join anywhere), and
   * seven TS packets per SRT packet ({@code alignment=7}); srtsink sends each 188-byte buffer as an SRT packet
   * of its own otherwise, and dropped one in eight of them here before they got a sequence number.
   */
  public static Process publishSrt(String name, String uri, int seconds) throws IOException {
    return launch(name, "-e", "videotestsrc", "is-live=true", "num-buffers=" + seconds * 25, "!",
        "video/x-raw,format=I420,width=640,height=360,framerate=25/1", "!",
        "x264enc", "tune=zerolatency", "key-int-max=25", "bitrate=800", "!", "h264parse", "config-interval=-1", "!",
        "queue", "!", "mux.",
        "audiotestsrc", "is-live=true", "num-buffers=" + seconds * 43, "!", "audioconvert", "!", "avenc_aac", "!",
        "aacparse", "!", "queue", "!", "mux.",
        "mpegtsmux", "name=mux", "alignment=7", "!", "srtsink", "uri=" + uri);
  }

  /**
   * Publishes {@code seconds} of a live encoder over RTSP to {@code uri} (ANNOUNCE and RECORD) with rtspclientsink,
   * as GStreamer-based encoders push to MediaMTX: x264 (B-frames off, as zerolatency sets it) and libav's AAC, RTP
   * over TCP ({@code protocols=tcp}: rtspclientsink's UDP transport is not served).
   */
  public static Process publishRtsp(String name, String uri, int seconds) throws IOException {
    return launch(name, "-e", "videotestsrc", "is-live=true", "num-buffers=" + seconds * 25, "!",
        "video/x-raw,format=I420,width=640,height=360,framerate=25/1", "!",
        "x264enc", "tune=zerolatency", "key-int-max=25", "bitrate=800", "!", "h264parse", "!", "queue", "!", "s.sink_0",
        "audiotestsrc", "is-live=true", "num-buffers=" + seconds * 43, "!", "audioconvert", "!", "avenc_aac", "!",
        "aacparse", "!", "queue", "!", "s.sink_1",
        "rtspclientsink", "name=s", "protocols=tcp", "location=" + uri);
  }

  /**
   * GStreamer's RTSP server (gst-rtsp-server, as in many cameras) serving {@code mount} on {@code port}, each client
   * its own pipeline from the start, run by {@code src/test/resources/rtsp/gst-rtsp-server.py} (Debian's python3-gi
   * and gir1.2-gst-rtsp-server-1.0): {@code live} (a test pattern and a tone, x264 and AAC) or {@code file <path>}
   * (an H.264/AAC FLV file's frames as they are, in real time), optionally {@code --digest user:password} or {@code
   * --basic user:password}. Returns once it listens.
   */
  public static Process rtspServer(String name, int port, String mount, String... source) throws Exception {
    Path script = Path.of("src", "test", "resources", "rtsp", "gst-rtsp-server.py").toAbsolutePath();
    List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), Integer.toString(port),
        mount));
    command.addAll(List.of(source));
    Files.createDirectories(LOGS);
    Path log = LOGS.resolve(name + ".log");
    Process server = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (!Files.readString(log).contains("ready " + port)) {
      if (!server.isAlive() || System.nanoTime() > deadline) {
        server.destroyForcibly();
        throw new AssertionError("gst-rtsp-server did not listen on " + port + " (scripts/test installs "
            + "gir1.2-gst-rtsp-server-1.0):\n" + LogTail.of(log, 25));
      }
      Thread.sleep(50);
    }
    return server;
  }

  /**
   * Whether the server of {@link #rtspServer} named {@code name} is gone after an abort of gst-rtsp-server 1.22 (Debian
   * 12's) in {@code gst_rtsp_media_get_rates}: at a PLAY, a track whose sink has had no segment yet fails its
   * {@code g_assert}, and the whole process ends. A race of that library with a file source, seen once in many runs
   * on a loaded machine; nothing a client does brings it on or avoids it.
   */
  public static boolean rtspServerAborted(String name, Process server) throws IOException {
    return !server.isAlive() && Files.readString(LOGS.resolve(name + ".log")).contains("gst_rtsp_media_get_rates");
  }

  /** Plays {@code url} with rtmp2src and saves the FLV it receives to {@code saved}; it ends at unpublish. */
  public static Process saveRtmp(String name, String url, Path saved) throws IOException {
    return launch(name, "rtmp2src", "location=" + url, "!", "filesink", "location=" + saved);
  }

  /**
   * Plays {@code uri} (RTMP, HTTP-FLV, HLS or LL-HLS: uridecodebin picks the demuxer) and decodes its video
   * and audio, counting the video frames shown ({@link #rendered}); runs until destroyed.
   */
  public static Process play(String name, String uri) throws IOException {
    return launch(name, "uridecodebin", "uri=" + uri, "name=d",
        "d.", "!", "queue", "!", "videoconvert", "!", "fpsdisplaysink", "video-sink=fakesink", "text-overlay=false",
        "sync=true", "d.", "!", "queue", "!", "audioconvert", "!", "fakesink", "sync=true");
  }

  /**
   * Plays {@code uri} with rtspsrc over TLS without checking the certificate ({@code tls-validation-flags=0}: the
   * test certificate is self-signed), decoding its H.264 video as {@link #play} does ({@link #rendered}); runs until
   * destroyed.
   */
  public static Process playRtsps(String name, String uri) throws IOException {
    // rtspsrc has a pad per track: H.264 to its depayloader and decoder (linked by its caps), the other to a sink.
    return launch(name, "rtspsrc", "name=s", "location=" + uri, "tls-validation-flags=0",
        "s.", "!", "rtph264depay", "!", "h264parse", "!", "avdec_h264", "!", "videoconvert", "!", "fpsdisplaysink",
        "video-sink=fakesink", "text-overlay=false", "sync=true", "s.", "!", "queue", "!", "fakesink");
  }

  /** The video frames {@link #play} has shown so far, and dropped: the last count in its log, or {0, 0}. */
  public static int[] rendered(String name) throws IOException {
    Path log = LOGS.resolve(name + ".log");
    int[] last = {0, 0};
    if (!Files.exists(log)) {
      return last;
    }
    Matcher m = RENDERED.matcher(Files.readString(log));
    while (m.find()) {
      last = new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }
    return last;
  }

  public static String logTail(String name) {
    return LogTail.of(LOGS.resolve(name + ".log"), 25);
  }

  private static Process launch(String name, String... pipeline) throws IOException {
    if (!Files.isExecutable(Path.of(LAUNCH))) {
      throw new AssertionError(LAUNCH + " is missing: scripts/test installs Debian's gstreamer1.0-tools and plugins");
    }
    List<String> command = new ArrayList<>(List.of(LAUNCH, "-v"));
    command.addAll(List.of(pipeline));
    Files.createDirectories(LOGS);
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(LOGS.resolve(name + ".log").toFile())
        .start();
  }
}
