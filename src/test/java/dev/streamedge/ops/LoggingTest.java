package dev.streamedge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Await;
import dev.streamedge.testing.ChildProcesses;
import dev.streamedge.testing.FreePorts;
import dev.streamedge.testing.Http;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The node logs a line per connection from its event loops. Its stdout may be a pipe that a log
 * collector drains slowly or not at all; once the pipe is full a write to it waits, and an event loop
 * must never be the one waiting.
 */
@Tag("e2e")
class LoggingTest {

  /** Enough "disconnect" lines to fill a 64 KiB pipe several times over. */
  private static final int CONNECTIONS = 1500;

  @RegisterExtension
  final ChildProcesses processes = new ChildProcesses();

  @Test
  void aNodeWhoseStdoutNobodyReadsKeepsAnsweringClients() throws Exception {
    int rtmpPort = FreePorts.next();
    int httpPort = FreePorts.next();
    // stdout stays a pipe to this test, which never reads it.
    processes.own(new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), "dev.streamedge.Main",
        "--rtmp.host=127.0.0.1", "--rtmp.port=" + rtmpPort, "--rtmp.rtmps.port=" + FreePorts.next(),
        "--http.host=127.0.0.1", "--http.port=" + httpPort, "--metrics.port=0",
        "--srt.host=127.0.0.1", "--srt.port=" + FreePorts.next(), "--rtsp.host=127.0.0.1",
        "--rtsp.port=" + FreePorts.next()))
        .redirectError(ProcessBuilder.Redirect.DISCARD).start());
    String health = "http://127.0.0.1:" + httpPort + "/health/live";
    Await.until("the node to listen", Duration.ofSeconds(30), () -> Http.status(health) == 200);

    for (int i = 0; i < CONNECTIONS; i++) {
      handshake(rtmpPort, i);
    }
    // A blocked event loop never answers; a request that met a transient error (seen once in a loaded CI run,
    // -1) is asked again.
    Await.until("health after " + CONNECTIONS + " logged connections", Duration.ofSeconds(10),
        () -> Http.status(health) == 200);
  }

  /**
   * C0+C1 out, S0+S1+S2 back within five seconds, then a close: the node logs the disconnect. A blocked event
   * loop never answers; five seconds, not two, so that a pause of the node's JVM beside three other test JVMs
   * (lane 1) is not taken for one.
   */
  private static void handshake(int port, int attempt) throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(5000);
      byte[] c0c1 = new byte[1537];
      c0c1[0] = 3;
      OutputStream out = socket.getOutputStream();
      out.write(c0c1);
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] answer = new byte[3073];
      int read = 0;
      try {
        while (read < answer.length) {
          int n = in.read(answer, read, answer.length - read);
          if (n < 0) {
            break;
          }
          read += n;
        }
      } catch (java.net.SocketTimeoutException e) {
        throw new AssertionError("connection " + attempt + ": no handshake answer in 5 s, " + read + " bytes", e);
      }
      assertThat(read).as("handshake answer of connection %d", attempt).isEqualTo(answer.length);
    }
  }
}
