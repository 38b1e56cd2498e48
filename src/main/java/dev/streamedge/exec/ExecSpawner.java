package dev.streamedge.exec;

import io.vertx.core.Promise;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Where exec processes are forked: one thread of its own, for the node's life, never an event loop. Where
 * util-linux's {@code setpriv} is installed (essential in Debian and Ubuntu), each command runs
 * under {@code setpriv --pdeathsig}, nginx-rtmp's {@code PR_SET_PDEATHSIG}: the kernel signals the process
 * when the thread that forked it ends, which a node killed with {@code kill -9} does. That thread is this one,
 * so it lives until every process is gone. The signal is SIGTERM, or SIGKILL with {@code exec.kill-signal=kill}.
 * Forks wait in its queue at most {@code exec.max-processes} deep, since no more are ever in flight.
 */
final class ExecSpawner {

  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

  private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
    Thread spawner = new Thread(runnable, "exec-spawner");
    spawner.setDaemon(true);
    return spawner;
  });
  private final List<String> prefix;

  /** Looks for setpriv: a file check, so call it where blocking is allowed (the node's start). */
  ExecSpawner(boolean killsAtOnce) {
    this.prefix = Files.isExecutable(SETPRIV)
        ? List.of(SETPRIV.toString(), "--pdeathsig", killsAtOnce ? "KILL" : "TERM", "--")
        : List.of();
  }

  /** The words every command line is run after: setpriv and its options, or none. */
  List<String> prefix() {
    return prefix;
  }

  /** Runs {@code fork} on the spawning thread; {@code done} completes there. */
  <T> void fork(Callable<T> fork, Promise<T> done) {
    thread.execute(() -> {
      try {
        done.complete(fork.call());
      } catch (Exception e) {
        done.fail(e);
      }
    });
  }

  /** Once every process is gone. */
  void close() {
    thread.shutdown();
  }
}
