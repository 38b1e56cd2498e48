package dev.streamedge.net;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.transport.Transport;

/**
 * The node's network transport ({@code node.transport}): Netty's epoll or io_uring where its native
 * library loads (Linux on x86_64 and aarch64, and for io_uring a kernel that allows it), Java's NIO
 * otherwise. Each player costs the kernel one write per flush on any of them; io_uring hands an event
 * loop's writes to the kernel in one submission instead of a system call each.
 */
public final class Transports {

  private Transports() {
  }

  /** The transport named, or NIO when it cannot run here ({@link #unavailable(String)} says why). */
  public static Transport of(String name) {
    Transport wanted = named(name);
    return wanted != null && wanted.available() ? wanted : Transport.NIO;
  }

  /** Why the transport named cannot run here, or null when it can. */
  public static Throwable unavailable(String name) {
    Transport wanted = named(name);
    if (wanted == null) {
      return new IllegalStateException("Netty's " + name + " transport is not in this build");
    }
    return wanted.available() ? null : wanted.unavailabilityCause();
  }

  /** The transport a Vert.x instance runs on, for the log: "epoll", "io_uring" or "nio". */
  public static String name(Vertx vertx) {
    String implementation = ((VertxInternal) vertx).transport().getClass().getSimpleName();
    return implementation.startsWith("IoUring") ? "io_uring" : implementation.startsWith("Epoll") ? "epoll" : "nio";
  }

  /** Vert.x's transport of that name; null when its classes are not on the class path. */
  private static Transport named(String name) {
    return switch (name) {
      case "epoll" -> Transport.EPOLL;
      case "io_uring" -> Transport.IO_URING;
      case "nio" -> Transport.NIO;
      default -> throw new IllegalArgumentException("no transport " + name + ": epoll, io_uring or nio");
    };
  }
}
