package dev.streamedge.testing;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls a condition on observable state instead of sleeping for a guessed time. */
public final class Await {

  private Await() {
  }

  public static void until(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
