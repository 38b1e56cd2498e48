package dev.streamedge.testing;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A check that runs on a thread of its own while the test goes on, such as a simulated HLS viewer.
 * Whatever it throws, an {@link AssertionError} included, is kept and thrown again by {@link #finish}
 * (and by {@link #close}), so a failure in the background fails the test instead of dying with its
 * thread. The task should return soon after {@link #running()} turns false.
 */
public final class Background implements AutoCloseable {

  /** The body of a background check. */
  public interface Task {
    void run(Background self) throws Exception;
  }

  private static final long JOIN_MS = 15_000;

  private final Thread thread;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean running = true;
  private boolean finished;

  private Background(String name, Task task) {
    thread = new Thread(() -> {
      try {
        task.run(this);
      } catch (Throwable t) {
        failure.set(t);
      }
    }, name);
    thread.setDaemon(true);
  }

  /** Starts {@code task} on a new thread named {@code name}. */
  public static Background start(String name, Task task) {
    Background background = new Background(name, task);
    background.thread.start();
    return background;
  }

  /** False once {@link #finish} was called: the task should stop at its next check. */
  public boolean running() {
    return running;
  }

  /**
   * Asks the task to stop, waits for it, and throws what it threw; fails when it does not stop in 15 s.
   * Calling it again does nothing.
   */
  public synchronized void finish() throws Exception {
    if (finished) {
      return;
    }
    finished = true;
    running = false;
    thread.join(JOIN_MS);
    if (thread.isAlive()) {
      thread.interrupt();
      AssertionError stuck = new AssertionError(thread.getName() + " still running " + JOIN_MS + " ms after it was "
          + "asked to stop");
      if (failure.get() != null) {
        stuck.addSuppressed(failure.get());
      }
      throw stuck;
    }
    Throwable thrown = failure.get();
    if (thrown instanceof Exception e) {
      throw e;
    }
    if (thrown instanceof Error e) {
      throw e;
    }
  }

  @Override
  public void close() throws Exception {
    finish();
  }
}
