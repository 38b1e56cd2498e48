package dev.streamedge.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** /proc parsing, on lines as proc(5) shows them, and on this very process. */
@org.junit.jupiter.api.Tag("unit")
class ProcessTreeTest {

  @Test
  void readsUtimeAndStimeAfterACommandNameWithSpacesAndParentheses() {
    String stat = "4242 (nginx: worker (x)) S 4241 4241 4241 0 -1 4194624 1089 0 0 0 250 31 0 0 20 0 1 0 "
        + "12345 123456789 2500 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0";

    // utime 250 + stime 31 ticks of 10 ms.
    assertThat(ProcessTree.cpuNanos(stat)).isEqualTo(281 * 10_000_000L);
    assertThat(ProcessTree.systemNanos(stat)).isEqualTo(31 * 10_000_000L);
  }

  @Test
  void tellsHotSpotsCompilerThreadsByTheirNameInStat() {
    String compiler = "4250 (C2 CompilerThre) S 4241 4241 4241 0 -1 4194624 0 0 0 0 90 3 0 0 20 0 1 0 12";
    String loop = "4251 (vert.x-eventloo) S 4241 4241 4241 0 -1 4194624 0 0 0 0 500 70 0 0 20 0 1 0 12";

    assertThat(ProcessTree.isCompilerThread(ProcessTree.threadName(compiler))).isTrue();
    assertThat(ProcessTree.isCompilerThread("C1 CompilerThre")).isTrue();
    assertThat(ProcessTree.isCompilerThread(ProcessTree.threadName(loop))).isFalse();
    assertThat(ProcessTree.threadName("7 (nginx: worker (x)) S 1")).isEqualTo("nginx: worker (x)");
  }

  @Test
  void readsVmRssInBytes() {
    assertThat(ProcessTree.rssBytes(List.of("Name:\tjava", "VmPeak:\t  999 kB", "VmRSS:\t  151240 kB")))
        .isEqualTo(151240L * 1024);
  }

  @Test
  void samplesThisProcess() throws Exception {
    ProcessTree.Sample sample = new ProcessTree(ProcessHandle.current().pid()).sample();

    assertThat(sample.cpuNanos()).isPositive();
    assertThat(sample.systemNanos()).isBetween(0L, sample.cpuNanos());
    assertThat(sample.rssBytes()).isGreaterThan(1024 * 1024);
    // This JVM compiled JUnit and AssertJ before it got here: its compiler threads have used some time.
    assertThat(sample.compilerNanos()).isPositive().isLessThanOrEqualTo(sample.cpuNanos());
    assertThat(ProcessTree.machineBusyNanos()).isPositive();
  }
}
