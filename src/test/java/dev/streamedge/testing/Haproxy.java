package dev.streamedge.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * HAProxy (Debian's), the reference sender of the PROXY protocol, as the load balancer in front of a
 * node: each {@link Front} listens on 127.0.0.1 and passes TCP connections to a node's port from its own
 * source address, sending the client's address first in a PROXY header. Its log is
 * {@code target/haproxy-logs/<name>.log}.
 */
public final class Haproxy {

  public static final String HAPROXY = "/usr/sbin/haproxy";
  private static final Path DIR = Path.of("target", "haproxy-logs");

  /**
   * One frontend.
   *
   * @param port where HAProxy listens, on 127.0.0.1
   * @param target the node's port on 127.0.0.1
   * @param version the PROXY protocol version sent, 1 (text, {@code send-proxy}) or 2 (binary, {@code send-proxy-v2})
   * @param source the address HAProxy connects to the node from
   */
  public record Front(int port, int target, int version, String source) {
  }

  private Haproxy() {
  }

  /** Starts HAProxy with {@code fronts}; returns once it accepts connections on every one. */
  public static Process start(String name, List<Front> fronts) throws Exception {
    Files.createDirectories(DIR);
    StringBuilder config = new StringBuilder("""
        global
          maxconn 200
        defaults
          mode tcp
          timeout connect 5s
          timeout client 120s
          timeout server 120s
        """);
    for (int i = 0; i < fronts.size(); i++) {
      Front front = fronts.get(i);
      config.append("listen front").append(i).append('\n')
          .append("  bind 127.0.0.1:").append(front.port()).append('\n')
          .append("  server node 127.0.0.1:").append(front.target())
          .append(front.version() == 2 ? " send-proxy-v2" : " send-proxy")
          .append(" source ").append(front.source()).append('\n');
    }
    Path file = DIR.resolve(name + ".cfg");
    Files.writeString(file, config);
    Process process = new ProcessBuilder(HAPROXY, "-db", "-f", file.toString()).redirectErrorStream(true)
        .redirectOutput(DIR.resolve(name + ".log").toFile()).start();
    for (Front front : fronts) {
      // Watched in /proc/net/tcp, not by connecting: a connection would be passed on to the node, which
      // would count the one that ends before its header.
      Await.until("haproxy listening on " + front.port(), Duration.ofSeconds(10), () -> {
        if (!process.isAlive()) {
          throw new AssertionError("haproxy exited: " + Files.readString(DIR.resolve(name + ".log")));
        }
        return TcpStates.listening(front.port());
      });
    }
    return process;
  }
}
