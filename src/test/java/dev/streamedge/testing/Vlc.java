package dev.streamedge.testing;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's VLC (cvlc, {@code scripts/test} installs it) as a test player: it reads a URL for some
 * seconds and writes what it received, remuxed to MPEG-TS, to a file that ffprobe then reads. VLC
 * refuses to run as root, so as root it runs as {@code nobody}, in a scratch directory of its own.
 */
public final class Vlc {

  private static final Path LOGS = Path.of("target", "ffmpeg-logs");

  private Vlc() {
  }

  /** Starts cvlc on {@code url} for {@code seconds}; it exits by itself and leaves {@link #output}. */
  public static Process start(String name, String url, int seconds) throws IOException {
    if (!Files.isExecutable(Path.of("/usr/bin/cvlc"))) {
      throw new AssertionError("/usr/bin/cvlc is missing: scripts/test installs Debian's vlc-bin");
    }
    Path dir = scratch(name);
    List<String> command = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      command.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
    }
    command.addAll(List.of("/usr/bin/cvlc", "-I", "dummy", "--no-interact", "--play-and-exit",
        "--run-time=" + seconds, url, "--sout", "#std{access=file,mux=ts,dst=" + dir.resolve("out.ts") + "}"));
    Files.createDirectories(LOGS);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(LOGS.resolve(name + ".log").toFile());
    builder.environment().put("HOME", dir.toString());
    return builder.start();
  }

  /**
   * VLC's own RTSP server ({@code --sout '#rtp{sdp=rtsp://...}'}, not live555's), serving {@code media} once at
   * {@code rtsp://127.0.0.1:<port><mount>}: it streams from its start, whoever listens, and sends RTP over UDP only
   * (a SETUP for RTP over TCP is answered 461). Returns once the port takes connections.
   */
  public static Process rtspServer(String name, Path media, int port, String mount) throws Exception {
    Path dir = scratch(name);
    Path copy = dir.resolve(media.getFileName());
    Files.copy(media, copy, StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
    List<String> command = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      command.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
    }
    command.addAll(List.of("/usr/bin/cvlc", "-I", "dummy", "--no-interact", copy.toString(),
        "--sout", "#rtp{sdp=rtsp://127.0.0.1:" + port + mount + "}", "--sout-keep"));
    Files.createDirectories(LOGS);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(LOGS.resolve(name + ".log").toFile());
    builder.environment().put("HOME", dir.toString());
    Process server = builder.start();
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (true) {
      try (Socket probe = new java.net.Socket("127.0.0.1", port)) {
        return server;
      } catch (IOException notYet) {
        if (!server.isAlive() || System.nanoTime() > deadline) {
          server.destroyForcibly();
          throw new AssertionError("VLC's RTSP server did not listen on " + port + ", see target/ffmpeg-logs/"
              + name + ".log");
        }
        Thread.sleep(100);
      }
    }
  }

  /** The file VLC wrote. */
  public static Path output(String name) {
    return scratch(name).resolve("out.ts");
  }

  /**
   * The media type of each packet in the file VLC {@code name} wrote ("video", "audio"), as ffprobe reads it;
   * fails when VLC wrote nothing.
   */
  public static List<String> receivedPackets(String name) throws Exception {
    Path received = output(name);
    if (!Files.exists(received)) {
      throw new AssertionError("VLC " + name + " wrote nothing, see target/ffmpeg-logs/" + name + ".log");
    }
    Path csv = Clients.output(name + "-packets.csv");
    Ffmpeg.awaitSuccess(name + "-probe", Ffmpeg.startProbe(name + "-probe", List.of("-v", "error",
        "-show_entries", "packet=codec_type", "-of", "csv=p=0", "-o", csv.toString(), received.toString())), 30);
    // One line per packet, "video," or "audio," (ffprobe's csv ends each with a separator).
    return Files.readAllLines(csv).stream().map(l -> l.replace(",", "").strip()).toList();
  }

  private static Path scratch(String name) {
    try {
      Path dir = Path.of("/tmp", "streamedge-vlc-" + ProcessHandle.current().pid() + "-" + name);
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
      return dir;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
