package dev.streamedge.testing;

import java.nio.file.Path;

/** rtmpdump (librtmp), the RTMP client of OBS's classic output and of many players, as a test's player. */
public final class Rtmpdump {

  private Rtmpdump() {
  }

  /**
   * Starts rtmpdump saving the live stream at {@code url} (any of its six schemes) to {@code saved},
   * its messages in {@code log} under the test output. It ends when the stream is unpublished.
   */
  public static Process play(String url, Path saved, String log) throws Exception {
    return new ProcessBuilder("rtmpdump", "--live", "--quiet", "-r", url, "-o", saved.toString())
        .redirectErrorStream(true)
        .redirectOutput(Clients.output(log).toFile())
        .start();
  }
}
