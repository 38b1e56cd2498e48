package dev.streamedge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Closing ChildProcesses ends every process it owns, with its children, even one that ignores SIGTERM. */
@Tag("e2e")
class ChildProcessesTest {

  @Test
  void closeEndsEveryOwnedProcessAndItsChildren() throws Exception {
    Process parent;
    List<ProcessHandle> children;
    try (ChildProcesses processes = new ChildProcesses()) {
      parent = processes.own(new ProcessBuilder("bash", "-c", "sleep 300 & sleep 300 & wait").start());
      Await.until("two children", Duration.ofSeconds(5), () -> parent.descendants().count() == 2);
      children = parent.descendants().toList();
    }
    assertThat(parent.isAlive()).isFalse();
    assertThat(children).allSatisfy(child -> assertThat(child.isAlive()).as("child " + child.pid()).isFalse());
  }

  @Test
  void aProcessThatIgnoresSigtermIsKilledAfterTheGraceTime() throws Exception {
    Process stubborn = new ProcessBuilder("bash", "-c", "trap '' TERM; echo ready; while true; do sleep 0.1; done")
        .start();
    assertThat(new String(stubborn.getInputStream().readNBytes(6))).isEqualTo("ready\n");
    long started = System.nanoTime();
    ChildProcesses.stop(stubborn, Duration.ofMillis(500));
    assertThat(stubborn.isAlive()).isFalse();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("ms to stop")
        .isGreaterThanOrEqualTo(500).isLessThan(5_000);
  }
}
