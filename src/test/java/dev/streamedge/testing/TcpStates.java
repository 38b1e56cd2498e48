package dev.streamedge.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The kernel's state of a local TCP connection, from {@code /proc/net/tcp} and {@code tcp6} (Linux): what
 * a server did to a connection whose client is not reading, and so cannot see a close by reading.
 */
public final class TcpStates {

  /** {@code /proc/net/tcp}'s code for ESTABLISHED (include/net/tcp_states.h). */
  public static final String ESTABLISHED = "01";
  /** {@code /proc/net/tcp}'s code for LISTEN. */
  public static final String LISTEN = "0A";

  private TcpStates() {
  }

  /**
   * The state, as the kernel's two-digit hex code, of the socket whose local port is {@code localPort}
   * and remote port {@code remotePort}; empty when there is none (closed and gone).
   */
  public static Optional<String> of(int localPort, int remotePort) throws Exception {
    // "  sl  local_address rem_address   st ...": addresses as hex IP:port.
    for (String[] fields : rows()) {
      if (port(fields[1]) == localPort && port(fields[2]) == remotePort) {
        return Optional.of(fields[3]);
      }
    }
    return Optional.empty();
  }

  /** Whether a socket listens on {@code port}, whoever's: seen without connecting to it. */
  public static boolean listening(int port) throws Exception {
    for (String[] fields : rows()) {
      if (port(fields[1]) == port && LISTEN.equals(fields[3])) {
        return true;
      }
    }
    return false;
  }

  /**
   * The local port of {@code pid}'s TCP connection to {@code remotePort}, found by the socket inodes of
   * its file descriptors; empty when it has none.
   */
  public static Optional<Integer> localPortOf(long pid, int remotePort) throws Exception {
    Set<String> inodes = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring("socket:[".length(), target.length() - 1));
          }
        } catch (IOException closedMeanwhile) {
          // A descriptor closed while listed.
        }
      }
    }
    for (String[] fields : rows()) {
      // Field 9 is the socket's inode.
      if (fields.length > 9 && port(fields[2]) == remotePort && inodes.contains(fields[9])) {
        return Optional.of(port(fields[1]));
      }
    }
    return Optional.empty();
  }

  private static List<String[]> rows() throws IOException {
    List<String[]> rows = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path path = Path.of(table);
      if (Files.exists(path)) {
        for (String line : Files.readAllLines(path)) {
          String[] fields = line.trim().split("\\s+");
          if (fields.length >= 4 && fields[1].contains(":")) {
            rows.add(fields);
          }
        }
      }
    }
    return rows;
  }

  private static int port(String address) {
    return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
  }
}
