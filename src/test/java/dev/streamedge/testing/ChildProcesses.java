package dev.streamedge.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Owns the child processes a test starts (ffmpeg, rtmpdump, node JVMs, browsers): closing it ends
 * every one still running, with its descendants, and waits until they are gone, so that a failed
 * assertion never leaves a looping ffmpeg publisher behind. Use it in try-with-resources, or register
 * it with {@code @RegisterExtension}: on an instance field it closes after each test, on a static
 * field after the last test of the class.
 */
public final class ChildProcesses implements AutoCloseable, BeforeAllCallback, AfterEachCallback,
    AfterAllCallback {

  /** How long a process gets to end on SIGTERM (ffmpeg finishes its output file) before SIGKILL. */
  private static final Duration GRACE = Duration.ofSeconds(5);

  private final Deque<Process> processes = new ConcurrentLinkedDeque<>();
  private final Deque<NodeProcess> nodes = new ConcurrentLinkedDeque<>();
  private volatile boolean perClass;

  /** Owns {@code process} from now on; returns it. */
  public Process own(Process process) {
    processes.push(process);
    return process;
  }

  /** Owns {@code node} from now on (closing kills it, as {@code kill -9}); returns it. */
  public NodeProcess own(NodeProcess node) {
    nodes.push(node);
    return node;
  }

  /**
   * Ends {@code process} and its descendants: SIGTERM, then SIGKILL to whatever still runs after the
   * grace time; returns once they are gone.
   */
  public static void stop(Process process) {
    stop(process, GRACE);
  }

  /** As {@link #stop(Process)}, with SIGKILL after {@code grace}. */
  public static void stop(Process process, Duration grace) {
    end(process, false, grace);
  }

  /** Ends {@code process} and its descendants at once, as {@code kill -9}, and waits until they are gone. */
  public static void kill(Process process) {
    end(process, true, GRACE);
  }

  private static void end(Process process, boolean forcibly, Duration grace) {
    // Descendants first noted: once the parent is gone, its children are the init process's.
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    for (ProcessHandle handle : tree) {
      if (forcibly) {
        handle.destroyForcibly();
      } else {
        handle.destroy();
      }
    }
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle handle : tree) {
      if (!awaitExit(handle, deadline)) {
        handle.destroyForcibly();
        awaitExit(handle, System.nanoTime() + GRACE.toNanos());
      }
    }
  }

  private static boolean awaitExit(ProcessHandle handle, long deadlineNanos) {
    try {
      handle.onExit().get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      return !handle.isAlive();
    }
  }

  /** Ends every owned process still running, the last started first, and every owned node. */
  @Override
  public void close() throws InterruptedException {
    for (Process process = processes.poll(); process != null; process = processes.poll()) {
      stop(process);
    }
    for (NodeProcess node = nodes.poll(); node != null; node = nodes.poll()) {
      node.close();
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    // Only an extension on a static field is called before all tests: it owns the class's processes.
    perClass = true;
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    if (!perClass) {
      close();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    close();
  }
}
